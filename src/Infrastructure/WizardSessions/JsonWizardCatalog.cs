using System.Text.Json;
using System.Text.Json.Serialization;
using Sessions.Application.WizardSessions;
using Sessions.Domain.WizardSessions;

namespace Sessions.Infrastructure.WizardSessions;

/// <summary>
/// The wizard definitions shipped as JSON files beside the service (<c>WizardSessions/Definitions/*.json</c>),
/// read and checked once at startup; a broken file stops the service with the file and field named.
/// </summary>
public sealed class JsonWizardCatalog : IWizardCatalog
{
    public static readonly string DefaultFolder = Path.Combine(AppContext.BaseDirectory, "WizardSessions", "Definitions");

    private readonly Dictionary<string, WizardDefinition> _wizards;

    public JsonWizardCatalog(string folder)
    {
        _wizards = new Dictionary<string, WizardDefinition>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var wizard = Load(file);
            if (!_wizards.TryAdd(wizard.Id, wizard))
            {
                throw new InvalidDataException($"Wizard definition {Path.GetFileName(file)}: wizard_id '{wizard.Id}' is defined twice.");
            }
        }

        if (_wizards.Count > IWizardCatalog.MaxWizards)
        {
            throw new InvalidDataException($"Wizard definitions in {folder}: at most {IWizardCatalog.MaxWizards} wizards are served, found {_wizards.Count}.");
        }

        All = _wizards.Values.OrderBy(w => w.Id, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<WizardDefinition> All { get; }

    public WizardDefinition? Find(string? wizardId) => wizardId is null ? null : _wizards.GetValueOrDefault(wizardId);

    public static WizardDefinition Load(string file)
    {
        var name = Path.GetFileName(file);
        FileModel model;
        try
        {
            model = JsonSerializer.Deserialize<FileModel>(File.ReadAllText(file), Json)
                    ?? throw new InvalidDataException($"Wizard definition {name}: the file is empty.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Wizard definition {name}: {exception.Path ?? "$"} is not valid ({exception.Message}).", exception);
        }

        return new Checker(name).Check(model);
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed class Checker(string file)
    {
        public WizardDefinition Check(FileModel model)
        {
            var id = Id(model.WizardId, "wizard_id");
            var screens = new List<WizardScreen>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var screenModels = model.Screens ?? throw Error("screens", "is required");
            if (screenModels.Count is 0 or > WizardDefinition.MaxScreens)
            {
                throw Error("screens", $"needs 1 to {WizardDefinition.MaxScreens} screens");
            }

            for (var i = 0; i < screenModels.Count; i++)
            {
                var screen = CheckScreen(screenModels[i], $"screens[{i}]", screens);
                if (!seen.Add(screen.Id))
                {
                    throw Error($"screens[{i}].id", $"'{screen.Id}' is used twice");
                }

                screens.Add(screen);
            }

            return new WizardDefinition(id, Text(model.Title, "title"), screens);
        }

        private WizardScreen CheckScreen(ScreenModel model, string path, IReadOnlyList<WizardScreen> earlier)
        {
            var id = Id(model.Id, $"{path}.id");
            var kind = model.Kind ?? throw Error($"{path}.kind", "is required (single or multi)");
            var options = (model.Options ?? throw Error($"{path}.options", "is required"))
                .Select((o, i) => new WizardOption(Id(o.Id, $"{path}.options[{i}].id"), Text(o.Label, $"{path}.options[{i}].label")))
                .ToList();
            if (options.Count is 0 or > WizardScreen.MaxOptions || options.Select(o => o.Id).Distinct(StringComparer.Ordinal).Count() != options.Count)
            {
                throw Error($"{path}.options", $"needs 1 to {WizardScreen.MaxOptions} options with unique ids");
            }

            if (kind == ScreenKind.Single && (model.Min is not null || model.Max is not null))
            {
                throw Error($"{path}.min", "min and max apply to multi screens only");
            }

            var min = model.Min ?? 1;
            var max = model.Max ?? options.Count;
            if (kind == ScreenKind.Multi && (min < 0 || max < 1 || min > max || max > options.Count))
            {
                throw Error($"{path}.max", $"needs 0 <= min <= max <= {options.Count} options");
            }

            ScreenCondition? condition = null;
            if (model.HiddenWhen is { } hiddenWhen)
            {
                var on = earlier.FirstOrDefault(s => s.Id == hiddenWhen.Screen)
                         ?? throw Error($"{path}.hidden_when.screen", $"'{hiddenWhen.Screen}' must be an earlier screen");
                var chosen = hiddenWhen.ChosenAny ?? throw Error($"{path}.hidden_when.chosen_any", "is required");
                var unknown = chosen.FirstOrDefault(option => on.Options.All(o => o.Id != option));
                if (chosen.Count == 0 || unknown is not null || chosen.Distinct(StringComparer.Ordinal).Count() != chosen.Count)
                {
                    throw Error($"{path}.hidden_when.chosen_any", $"must list options of '{on.Id}', each once");
                }

                condition = new ScreenCondition(on.Id, chosen);
            }

            return new WizardScreen(id, Text(model.Title, $"{path}.title"), kind, options, model.Required, model.Min, model.Max, condition);
        }

        private string Id(string? value, string field) => Required(value, field, WizardSession.MaxIdLength);

        private string Text(string? value, string field) => Required(value, field, WizardDefinition.MaxTextLength);

        private string Required(string? value, string field, int maxLength) =>
            string.IsNullOrWhiteSpace(value) ? throw Error(field, "is required")
            : value.Length > maxLength ? throw Error(field, $"is longer than {maxLength} characters")
            : value;

        private InvalidDataException Error(string field, string problem) => new($"Wizard definition {file}: {field} {problem}.");
    }

    private sealed record FileModel(string? WizardId, string? Title, List<ScreenModel>? Screens);

    private sealed record ScreenModel(
        string? Id, string? Title, ScreenKind? Kind, bool Required, int? Min, int? Max, List<OptionModel>? Options, ConditionModel? HiddenWhen);

    private sealed record OptionModel(string? Id, string? Label);

    private sealed record ConditionModel(string? Screen, List<string>? ChosenAny);
}

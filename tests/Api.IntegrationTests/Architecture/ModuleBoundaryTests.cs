using System.Reflection;
using System.Reflection.Emit;

namespace Sessions.Api.IntegrationTests.Architecture;

/// <summary>
/// A module is a namespace in every layer (<c>Sessions.&lt;Layer&gt;.&lt;Module&gt;</c>); no module uses
/// another module's types, in any layer, in signatures or in code. Shared things live in
/// <c>Common</c>, and <c>Sessions.Domain.Access</c> (users, keys, scopes) may be used by every module.
/// </summary>
public sealed class ModuleBoundaryTests
{
    private static readonly string[] Modules = ["WizardSessions", "WizardRuns", "CalculatorSessions", "ConnectorSessions", "Onboarding", "Access"];

    private static readonly Assembly[] Layers =
    [
        typeof(Sessions.Domain.Common.AggregateRoot).Assembly,
        typeof(Sessions.Application.DependencyInjection).Assembly,
        typeof(Sessions.Infrastructure.DependencyInjection).Assembly,
        typeof(Program).Assembly,
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void NoModule_UsesAnotherModule()
    {
        var violations = Layers.SelectMany(layer => layer.GetTypes())
            .Select(type => (Type: type, Module: ModuleOf(type)))
            .Where(t => t.Module is not null)
            .SelectMany(t => UsedTypes(t.Type)
                .Where(used => ModuleOf(used) is { } other && other != t.Module && used.Namespace != "Sessions.Domain.Access")
                .Select(used => $"{t.Type.FullName} uses {used.FullName}"))
            .Distinct()
            .ToList();

        violations.Should().BeEmpty();
    }

    [Fact]
    public void UsedTypes_SeesSignaturesAndCode()
    {
        UsedTypes(typeof(Sample)).Should().Contain([typeof(Uri), typeof(Version), typeof(Guid)]);
    }

    private sealed class Sample(Uri address)
    {
        public Uri Address { get; } = address;

        public string Read() => new Version(1, 2).ToString() + Guid.NewGuid();
    }

    /// <summary>The module a type belongs to: the namespace segment after its layer, if it names a module.</summary>
    private static string? ModuleOf(Type type)
    {
        var segments = (type.Namespace ?? string.Empty).Split('.');
        return segments is ["Sessions", _, var module, ..] && Modules.Contains(module) ? module : null;
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        found.AddRange(type.GetInterfaces());
        if (type.BaseType is { } baseType)
        {
            found.Add(baseType);
        }

        found.AddRange(type.GetFields(all).Select(f => f.FieldType));
        found.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                found.Add(info.ReturnType);
            }

            found.AddRange(TypesInCode(method));
        }

        return found.SelectMany(Expand).Distinct();
    }

    /// <summary>Types named by the method's code: what it creates, calls, reads, casts to.</summary>
    private static IEnumerable<Type> TypesInCode(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            var operandSize = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // A token of a generic context the resolver cannot rebuild: its declaring type is in a signature too.
                }

                switch (member)
                {
                    case Type named:
                        yield return named;
                        break;
                    case MethodBase called:
                        yield return called.DeclaringType!;
                        if (called is MethodInfo calledInfo)
                        {
                            yield return calledInfo.ReturnType;
                            foreach (var argument in calledInfo.IsGenericMethod ? calledInfo.GetGenericArguments() : [])
                            {
                                yield return argument;
                            }
                        }

                        break;
                    case FieldInfo field:
                        yield return field.DeclaringType!;
                        yield return field.FieldType;
                        break;
                }
            }

            at += operandSize;
        }
    }

    /// <summary>A type with the types it is made of: elements, generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
        {
            return Expand(type.GetElementType()!);
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? type.GetGenericArguments().SelectMany(Expand).Prepend(type.GetGenericTypeDefinition())
            : [type];
    }
}

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Sessions.Api.CalculatorSessions;
using Sessions.Api.ConnectorSessions;
using Sessions.Api.Onboarding;
using Sessions.Api.WizardRuns;
using Sessions.Api.WizardSessions;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Application.ConnectorSessions.Queries;
using Sessions.Application.Onboarding.Queries;
using Sessions.Application.WizardRuns.Queries;
using Sessions.Application.WizardSessions.Queries;

namespace Sessions.Api.Common.Json;

/// <summary>
/// The contracts of every type the service reads or writes on the wire, generated at compile time so
/// that neither start-up nor the first request of each route builds a serializer by reflection.
/// Metadata only, and only through <see cref="WireJson"/>'s options: the names, converters and number
/// handling those options set are applied to this metadata when it is resolved, so the wire is what the
/// reflection contract would write. Each request body and answer of an action is listed (the types they
/// are made of come along); a test fails when an action reads or writes a type missing here.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]

// Problems, as Problems and the framework's problem writer write them.
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]

// WizardSessions
[JsonSerializable(typeof(WizardCatalogDto))]
[JsonSerializable(typeof(WizardDefinitionDto))]
[JsonSerializable(typeof(WizardSessionListDto))]
[JsonSerializable(typeof(WizardSessionDto))]
[JsonSerializable(typeof(WizardStepMoveDto))]
[JsonSerializable(typeof(WizardDraftSavedDto))]
[JsonSerializable(typeof(WizardSessionDeletedDto))]
[JsonSerializable(typeof(StartWizardSessionRequest))]
[JsonSerializable(typeof(UpdateWizardSessionRequest))]
[JsonSerializable(typeof(WizardAnswersRequest))]

// WizardRuns (a run is also the stream's frame)
[JsonSerializable(typeof(WizardRunListDto))]
[JsonSerializable(typeof(WizardRunDto))]
[JsonSerializable(typeof(StreamTicketDto))]
[JsonSerializable(typeof(UpsertWizardRunRequest))]

// CalculatorSessions
[JsonSerializable(typeof(CalculatorSessionListDto))]
[JsonSerializable(typeof(CalculatorSessionDto))]
[JsonSerializable(typeof(CalculatorSessionDeletedDto))]
[JsonSerializable(typeof(CalculatorEventLogDto))]
[JsonSerializable(typeof(CalculationResultDto))]
[JsonSerializable(typeof(SharedCalculationDto))]
[JsonSerializable(typeof(OpenCalculatorSessionRequest))]
[JsonSerializable(typeof(CalculatorEventRequest))]

// ConnectorSessions
[JsonSerializable(typeof(ConnectorSessionListDto))]
[JsonSerializable(typeof(ConnectorSessionDto))]
[JsonSerializable(typeof(ConnectorSessionMessageDto))]
[JsonSerializable(typeof(ConnectorSessionDataRequest))]

// Onboarding. A list answered as IReadOnlyList<T> is written as the List<T> its handler builds.
[JsonSerializable(typeof(IReadOnlyList<ProviderConnectionDto>))]
[JsonSerializable(typeof(List<ProviderConnectionDto>))]
[JsonSerializable(typeof(IReadOnlyList<OnboardingTaskSummaryDto>))]
[JsonSerializable(typeof(List<OnboardingTaskSummaryDto>))]
[JsonSerializable(typeof(IReadOnlyList<OnboardingEvidenceDto>))]
[JsonSerializable(typeof(List<OnboardingEvidenceDto>))]
[JsonSerializable(typeof(ProviderConnectionDto))]
[JsonSerializable(typeof(OnboardingSessionResponse))]
[JsonSerializable(typeof(OnboardingSessionDto))]
[JsonSerializable(typeof(OperationRunLinkDto))]
[JsonSerializable(typeof(OperationRunDto))]
[JsonSerializable(typeof(ProviderConnectionRequest))]
[JsonSerializable(typeof(UpdateOnboardingSessionRequest))]

// The stream's declared 200 (text/event-stream) and the values of a problem's extensions.
[JsonSerializable(typeof(string))]
internal sealed partial class WireJsonContext : JsonSerializerContext;

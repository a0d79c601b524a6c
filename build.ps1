# Build, test and run Sessions. Targets: build | test | ci | run (default: build).
# build.sh offers the same targets; CI runs build.sh.
param(
    [ValidateSet('build', 'test', 'ci', 'run')]
    [string] $Target = 'build',
    [Parameter(ValueFromRemainingArguments = $true)] [string[]] $Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$configuration = if ($env:CONFIGURATION) { $env:CONFIGURATION } else { 'Release' }

function Invoke-Checked([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Build([string[]] $Extra = @()) {
    Invoke-Checked { dotnet build Sessions.sln -c $configuration --nologo @Extra }
}

function Test-All {
    $output = dotnet test Sessions.sln -c $configuration --nologo --no-build @Rest 2>&1 | Tee-Object -Variable lines
    $status = $LASTEXITCODE
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($line in $lines) {
        if ("$line" -match '^(Passed|Failed)!.*Failed:\s*(\d+), Passed:\s*(\d+), Skipped:\s*(\d+)') {
            $failed += [int]$Matches[2]; $passed += [int]$Matches[3]; $skipped += [int]$Matches[4]
        }
    }
    Write-Output "tests: $passed passed, $failed failed, $skipped skipped"
    if ($status -ne 0) { exit $status }
}

switch ($Target) {
    'build' { Build $Rest }
    'test' { Build; Test-All }
    'ci' {
        Invoke-Checked { dotnet restore Sessions.sln --nologo }
        Build @('--no-restore')
        git diff --exit-code -- openapi/ | Out-Null
        if ($LASTEXITCODE -ne 0) { Write-Error 'openapi/sessions.v1.json is stale: build and commit the regenerated document.'; exit 1 }
        Test-All
    }
    'run' { Invoke-Checked { dotnet run --project src/Api -- @Rest } }
}

# Build, test and run Sessions. Targets: build | test | clients | pack | lint | ci | bench [--smoke] | run (default: build).
# build.sh offers the same targets; CI runs build.sh.
param(
    [ValidateSet('build', 'test', 'clients', 'pack', 'lint', 'ci', 'bench', 'run')]
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

# -RequirePostgres (CI): every API test runs on both databases, so a run where no test passed on
# PostgreSQL (SESSIONS_TEST_POSTGRES unset) proves only half and fails.
function Test-All([switch] $RequirePostgres) {
    $verbosity = if ($RequirePostgres) { @('--logger', 'console;verbosity=normal') } else { @() }
    dotnet test Sessions.sln -c $configuration --nologo --no-build @verbosity @Rest 2>&1 | Tee-Object -Variable lines
    $status = $LASTEXITCODE
    $passed = 0; $failed = 0; $skipped = 0; $onPostgres = 0
    foreach ($line in $lines) {
        if ("$line" -match '^(Passed|Failed)!.*Failed:\s*(\d+), Passed:\s*(\d+), Skipped:\s*(\d+)') {
            $failed += [int]$Matches[2]; $passed += [int]$Matches[3]; $skipped += [int]$Matches[4]
        }
        elseif ("$line" -match '^\s+Passed:\s*(\d+)$') { $passed += [int]$Matches[1] }
        elseif ("$line" -match '^\s+Failed:\s*(\d+)$') { $failed += [int]$Matches[1] }
        elseif ("$line" -match '^\s+Skipped:\s*(\d+)$') { $skipped += [int]$Matches[1] }
        elseif ("$line" -match '^\s+Passed .*\(database: "postgres"') { $onPostgres++ }
    }
    Write-Output "tests: $passed passed, $failed failed, $skipped skipped; on postgres: $onPostgres passed"
    if ($status -ne 0) { exit $status }
    if ($RequirePostgres -and $onPostgres -eq 0) {
        Write-Error 'no test ran on PostgreSQL: set SESSIONS_TEST_POSTGRES (bash scripts/postgres.sh start)'
        exit 1
    }
}

# Installs a folder's locked npm packages and runs one of its scripts.
function Invoke-NpmScript([string] $Folder, [string] $Script) {
    Push-Location $Folder
    try {
        Invoke-Checked { npm ci --no-fund --no-audit --loglevel=error }
        Invoke-Checked { npm run --silent $Script }
    } finally { Pop-Location }
}

# The typed clients are generated from the checked-in OpenAPI document and checked in too.
function Update-Clients { Invoke-NpmScript clients generate }

# Spectral with the OpenAPI and OWASP API Security Top 10 rulesets (openapi/.spectral.yaml): an
# error fails; the warnings left are listed with their reasons in the README.
function Test-OpenApiLint { Invoke-NpmScript openapi lint }

# The clients as packages, into artifacts/packages: @sessions/client (npm pack) and
# Sessions.Client.<version>.nupkg (dotnet pack).
function New-ClientPackages {
    $output = Join-Path $PSScriptRoot 'artifacts/packages'
    New-Item -ItemType Directory -Force $output | Out-Null
    Push-Location clients
    try {
        Invoke-Checked { npm ci --no-fund --no-audit --loglevel=error }
        Invoke-Checked { npm pack --workspace '@sessions/client' --pack-destination $output }
    } finally { Pop-Location }
    Invoke-Checked { dotnet pack clients/csharp/Sessions.Client.csproj -c $configuration --nologo --no-build -o $output }
}

# The Swagger UI and ReDoc test drives Debian's chromium; elsewhere SESSIONS_CHROMIUM and
# SESSIONS_CHROMEDRIVER name a Chromium and its driver.
function Install-Chromium {
    if ($IsLinux) { Invoke-Checked { bash scripts/chromium.sh } }
}

function Test-TypeScriptClient {
    Push-Location clients
    try {
        $env:SESSIONS_API_DLL = Join-Path $PSScriptRoot "src/Api/bin/$configuration/net10.0/Sessions.Api.dll"
        Invoke-Checked { npm test --silent }
    } finally { Pop-Location }
}

# The benchmark loads the service with wrk and reads /proc: it runs under bash on Linux (or WSL).
function Invoke-Benchmark([string[]] $BenchArgs) {
    Invoke-Checked { bash bench/run.sh @BenchArgs }
}

switch ($Target) {
    'build' { Build $Rest }
    'test' { Build; Test-All }
    'clients' { Build; Update-Clients; Build }
    'pack' { Build; New-ClientPackages }
    'lint' { Test-OpenApiLint }
    'ci' {
        Invoke-Checked { dotnet restore Sessions.sln --nologo }
        Build @('--no-restore')
        git diff --exit-code -- openapi/ | Out-Null
        if ($LASTEXITCODE -ne 0) { Write-Error 'openapi/sessions.v1.json is stale: build and commit the regenerated document.'; exit 1 }
        Test-OpenApiLint
        Update-Clients
        git diff --exit-code -- clients/typescript clients/csharp | Out-Null
        if ($LASTEXITCODE -ne 0) { Write-Error "the generated clients are stale: run './build.ps1 clients' and commit them."; exit 1 }
        New-ClientPackages
        Install-Chromium
        Test-All -RequirePostgres
        Test-TypeScriptClient
        Invoke-Benchmark @('--smoke')
    }
    'bench' { Invoke-Benchmark $Rest }
    'run' { Invoke-Checked { dotnet run --project src/Api -- @Rest } }
}

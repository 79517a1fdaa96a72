#!/usr/bin/env bash
# The dev container's (and Codespaces') post-create steps: build the library the notebooks load and install the
# C# (Descent) Jupyter kernel from a Release build. CI runs this script too (.ci/run), so this path cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release lib/Descent/Descent.csproj
dotnet build -c Release lib/Descent.Kernel/Descent.Kernel.csproj
# --user by default; DESCENT_KERNEL_INSTALL can say --sys-prefix or "--prefix DIR".
# shellcheck disable=SC2086
dotnet lib/Descent.Kernel/bin/Release/net10.0/descent-kernel.dll install ${DESCENT_KERNEL_INSTALL:---user}

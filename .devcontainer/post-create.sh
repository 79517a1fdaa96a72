#!/usr/bin/env bash
# The dev container's (and Codespaces') post-create steps: bubblewrap for grade's sandbox, build the library the
# notebooks load and install the C# (Descent) Jupyter kernel from a Release build. CI runs this script too (.ci/run),
# so this path cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! command -v bwrap >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends bubblewrap; } \
    || echo "warning: bubblewrap could not be installed; 'grade' will refuse to run without --no-sandbox." >&2
fi
dotnet build -c Release lib/Descent/Descent.csproj
dotnet build -c Release lib/Descent.Kernel/Descent.Kernel.csproj
# --user by default; DESCENT_KERNEL_INSTALL can say --sys-prefix or "--prefix DIR".
# shellcheck disable=SC2086
dotnet lib/Descent.Kernel/bin/Release/net10.0/descent-kernel.dll install ${DESCENT_KERNEL_INSTALL:---user}

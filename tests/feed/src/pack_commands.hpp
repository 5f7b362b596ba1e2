// SPDX-License-Identifier: MIT
#pragma once

#include "arguments.hpp"

namespace feed {

// pack nupkg ID VERSION OUTDIR [--nuspec FILE]: writes OUTDIR/ID.VERSION.nupkg and prints its
// path. With --nuspec, FILE is the package's .nuspec, verbatim and unchecked.
int pack_nupkg(Arguments& args);

// pack npm NAME VERSION OUTDIR: writes OUTDIR/FILE.tgz (named as `npm pack` names it:
// "@scope/name" 1.0.0 -> scope-name-1.0.0.tgz) and prints its path.
int pack_npm(Arguments& args);

} // namespace feed

/* prefectctx.h: the libprefectctx umbrella header
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __PREFECT_CTX_INSIDE__

#include "prefectctx-version.h"
#include "prefectctx-enums.h"

/* layer 1: core */
#include "core/prefectctx-error.h"
#include "core/prefectctx-context.h"
#include "core/prefectctx-snapshot.h"

/* layer 2: models */
#include "models/prefectctx-state.h"
#include "models/prefectctx-flow.h"
#include "models/prefectctx-flow-run.h"
#include "models/prefectctx-task.h"
#include "models/prefectctx-task-run.h"
#include "models/prefectctx-deployment.h"
#include "models/prefectctx-log-entry.h"
#include "models/prefectctx-settings.h"
#include "models/prefectctx-profile.h"
#include "models/prefectctx-profiles.h"
#include "models/prefectctx-client.h"

/* layer 3: contexts */
#include "contexts/prefectctx-run-context.h"
#include "contexts/prefectctx-flow-run-context.h"
#include "contexts/prefectctx-task-run-context.h"
#include "contexts/prefectctx-tags-context.h"
#include "contexts/prefectctx-custom-context.h"
#include "contexts/prefectctx-object-registry.h"
#include "contexts/prefectctx-settings-context.h"
#include "contexts/prefectctx-serialize.h"

/* layer 4: client */
#include "client/prefectctx-client-default.h"
#include "client/prefectctx-local-client.h"
#include "client/prefectctx-http-client.h"

/* layer 5: runtime */
#include "runtime/prefectctx-runtime.h"

/* layer 6: engine */
#include "engine/prefectctx-run-options.h"
#include "engine/prefectctx-task-future.h"
#include "engine/prefectctx-engine.h"

/* layer 7: views */
#include "views/prefectctx-task-run-view.h"
#include "views/prefectctx-flow-view.h"
#include "views/prefectctx-flow-run-view.h"
#include "views/prefectctx-flow-run-watcher.h"

#undef __PREFECT_CTX_INSIDE__

#ifndef POSTERN_CONCURRENCY_HOOK_H
#define POSTERN_CONCURRENCY_HOOK_H

/// The Swift runtime's hook for enqueueing a job on the global executor (libswift_Concurrency). SwiftNIO finds it with
/// dlsym, which fails in a binary linked with --static-swift-stdlib, where the symbol is hidden; a reference from C
/// links in both kinds of binary.
extern void *_Nullable swift_task_enqueueGlobal_hook;

/// Where the hook is stored.
static inline void *_Nullable *_Nonnull postern_enqueue_global_hook(void) { return &swift_task_enqueueGlobal_hook; }

#endif

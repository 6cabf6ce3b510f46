// Preloaded (node --require) into servers without a SIGTERM handler when profiling:
// a signal death skips --cpu-prof's write, process.exit does not.
process.on('SIGTERM', () => process.exit(0));

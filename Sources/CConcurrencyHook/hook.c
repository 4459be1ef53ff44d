// The hook is reached through the header alone; this file makes the target a C library.

/*
 * Where the installed pieces are: the default rule pack and the hook
 * adapter are looked up beside the running program first (so that an
 * installation moved to, or made under, any prefix finds its own files),
 * then where CMake was told to install them.
 */
#ifndef PT_PATHS_H
#define PT_PATHS_H

/* The directory holding the running program (symbolic links resolved): a
 * new string, or NULL when it cannot be told or out of memory. */
char *pt_self_dir(void);

/* The default rule pack: <program dir>/PT_RULES_FROM_BINDIR when that is a
 * directory, else PT_DEFAULT_RULES_DIR. A new string; NULL out of memory. */
char *pt_default_rules_dir(void);

/* The hook adapter to register: prempti-hook beside the running program
 * when it is executable there, else PT_INSTALL_BINDIR/prempti-hook. A new
 * string; NULL out of memory. */
char *pt_default_hook(void);

#endif

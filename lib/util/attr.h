/* Compiler attributes the library uses, spelled once for every toolchain. */
#ifndef PE_UTIL_ATTR_H
#define PE_UTIL_ATTR_H

/* printf-style format checking that matches the printf the library links:
 * under MinGW that is its C99 stdio (__USE_MINGW_ANSI_STDIO, which the
 * build defines), whose GCC archetype is gnu_printf, not Microsoft's. */
#if defined(__MINGW32__)
#define PE_ATTR_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define PE_ATTR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PE_ATTR_PRINTF(fmt, args)
#endif

#endif

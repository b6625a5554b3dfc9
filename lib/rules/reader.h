/*
 * The reader: one rules file (YAML, possibly several documents) -> items
 * handed to the collector, with Falco's validation messages and warnings
 * (rule_loader_reader.cpp, 0.44), each at the offending YAML node.
 */
#ifndef PE_RULES_READER_H
#define PE_RULES_READER_H

#include "rules/collector.h"

typedef struct pe_read_limits {
    unsigned max_yaml_depth;
    size_t max_items;
} pe_read_limits;

/*
 * Reads text (the file f, already registered) into c. Stops at the first
 * error, like Falco. scratch receives the YAML tree. Returns 0 or a
 * negative status with the error in d.
 */
int pe_read_rules(pe_collector *c, pe_ldiag *d, const pe_srcfile *f, const char *text, size_t len,
                  const pe_read_limits *lim, pe_arena *scratch);

/* Longest accepted name of a rule, macro, list or exception. */
#define PE_MAX_NAME 4096

#endif

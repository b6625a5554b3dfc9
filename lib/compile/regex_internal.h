/* The compiled form of a regex, shared by the compiler and the matcher. */
#ifndef PE_COMPILE_REGEX_INTERNAL_H
#define PE_COMPILE_REGEX_INTERNAL_H

#include <stdint.h>

#include "compile/regex.h"

typedef enum rx_op {
    RX_CHAR,  /* one rune equal to x, then pc+1 */
    RX_CLASS, /* one rune in ranges[x .. x+y), then pc+1 */
    RX_ANY,   /* one rune other than '\n', then pc+1 */
    RX_BOL,   /* at the start of the text or after '\n', then pc+1 */
    RX_EOL,   /* at the end of the text or before '\n', then pc+1 */
    RX_JMP,   /* go to x */
    RX_SPLIT, /* go to x and to y */
    RX_MATCH
} rx_op;

typedef struct rx_inst {
    uint32_t op;
    uint32_t x, y;
} rx_inst;

typedef struct rx_range {
    uint32_t lo, hi;
} rx_range;

struct pe_regex {
    const rx_inst *insts;
    uint32_t ninst;
    const rx_range *ranges;
};

#define RX_MAX_RUNE 0x10FFFFu

#endif

#ifndef CPCRE2_H
#define CPCRE2_H

/* The width decision lives here and nowhere else: 8-bit code units (bytes). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

/* Opaque handle types under width-free names. */
typedef pcre2_code_8 cpcre2_code;
typedef pcre2_match_data_8 cpcre2_match_data;
typedef pcre2_match_context_8 cpcre2_match_context;
typedef pcre2_jit_stack_8 cpcre2_jit_stack;

/* Cast-expression constants Swift cannot import. */
size_t cpcre2_unset(void);
size_t cpcre2_zero_terminated(void);

/* Compile `length` bytes of pattern; on failure returns NULL and fills error code/offset. */
cpcre2_code *cpcre2_compile(const uint8_t *pattern, size_t length, uint32_t options,
                            int *errorcode, size_t *erroroffset);
void cpcre2_code_free(cpcre2_code *code);
int cpcre2_jit_compile(cpcre2_code *code, uint32_t options);
int cpcre2_pattern_info(const cpcre2_code *code, uint32_t what, void *where);

/* Writes the message for `errorcode` into buffer; returns its length or a negative error. */
int cpcre2_get_error_message(int errorcode, uint8_t *buffer, size_t bufflen);

cpcre2_match_context *cpcre2_match_context_create(void);
void cpcre2_match_context_free(cpcre2_match_context *mcontext);
int cpcre2_set_match_limit(cpcre2_match_context *mcontext, uint32_t value);
int cpcre2_set_depth_limit(cpcre2_match_context *mcontext, uint32_t value);
int cpcre2_set_heap_limit(cpcre2_match_context *mcontext, uint32_t value);

cpcre2_jit_stack *cpcre2_jit_stack_create(size_t startsize, size_t maxsize);
void cpcre2_jit_stack_free(cpcre2_jit_stack *stack);
/* Assigns `stack` to `mcontext` (NULL restores the default 32 KiB machine stack). */
void cpcre2_jit_stack_assign(cpcre2_match_context *mcontext, cpcre2_jit_stack *stack);

cpcre2_match_data *cpcre2_match_data_create_from_pattern(const cpcre2_code *code);
void cpcre2_match_data_free(cpcre2_match_data *data);
uint32_t cpcre2_get_ovector_count(cpcre2_match_data *data);
size_t *cpcre2_get_ovector_pointer(cpcre2_match_data *data);

int cpcre2_match(const cpcre2_code *code, const uint8_t *subject, size_t length,
                 size_t startoffset, uint32_t options, cpcre2_match_data *data,
                 cpcre2_match_context *mcontext);

#endif

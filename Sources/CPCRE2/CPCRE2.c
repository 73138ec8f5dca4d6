#include "CPCRE2.h"

size_t cpcre2_unset(void) { return PCRE2_UNSET; }
size_t cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }

cpcre2_code *cpcre2_compile(const uint8_t *pattern, size_t length, uint32_t options,
                            int *errorcode, size_t *erroroffset) {
  return pcre2_compile(pattern, length, options, errorcode, erroroffset, NULL);
}
void cpcre2_code_free(cpcre2_code *code) { pcre2_code_free(code); }
int cpcre2_jit_compile(cpcre2_code *code, uint32_t options) { return pcre2_jit_compile(code, options); }
int cpcre2_pattern_info(const cpcre2_code *code, uint32_t what, void *where) {
  return pcre2_pattern_info(code, what, where);
}
int cpcre2_get_error_message(int errorcode, uint8_t *buffer, size_t bufflen) {
  return pcre2_get_error_message(errorcode, buffer, bufflen);
}

cpcre2_match_context *cpcre2_match_context_create(void) { return pcre2_match_context_create(NULL); }
void cpcre2_match_context_free(cpcre2_match_context *mcontext) { pcre2_match_context_free(mcontext); }
int cpcre2_set_match_limit(cpcre2_match_context *m, uint32_t v) { return pcre2_set_match_limit(m, v); }
int cpcre2_set_depth_limit(cpcre2_match_context *m, uint32_t v) { return pcre2_set_depth_limit(m, v); }
int cpcre2_set_heap_limit(cpcre2_match_context *m, uint32_t v) { return pcre2_set_heap_limit(m, v); }

cpcre2_jit_stack *cpcre2_jit_stack_create(size_t startsize, size_t maxsize) {
  return pcre2_jit_stack_create(startsize, maxsize, NULL);
}
void cpcre2_jit_stack_free(cpcre2_jit_stack *stack) { pcre2_jit_stack_free(stack); }
void cpcre2_jit_stack_assign(cpcre2_match_context *mcontext, cpcre2_jit_stack *stack) {
  pcre2_jit_stack_assign(mcontext, NULL, stack);
}

cpcre2_match_data *cpcre2_match_data_create_from_pattern(const cpcre2_code *code) {
  return pcre2_match_data_create_from_pattern(code, NULL);
}
void cpcre2_match_data_free(cpcre2_match_data *data) { pcre2_match_data_free(data); }
uint32_t cpcre2_get_ovector_count(cpcre2_match_data *data) { return pcre2_get_ovector_count(data); }
size_t *cpcre2_get_ovector_pointer(cpcre2_match_data *data) { return pcre2_get_ovector_pointer(data); }

int cpcre2_match(const cpcre2_code *code, const uint8_t *subject, size_t length,
                 size_t startoffset, uint32_t options, cpcre2_match_data *data,
                 cpcre2_match_context *mcontext) {
  return pcre2_match(code, subject, length, startoffset, options, data, mcontext);
}

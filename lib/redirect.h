/* Private: redirect records, kept in the store's meta space under
 * "redirect.<id>": where a merged-away or erased contact id now points. */
#ifndef LEAD_LIB_REDIRECT_H
#define LEAD_LIB_REDIRECT_H

#include "engine.h"

/* Stores id -> target (0: erased) with the absorbed contact's last record
 * (NULL, 0 for none), so nothing about a merged contact is lost. */
int lead__redirect_put(lead_engine *engine, uint64_t id, uint64_t target, const void *record,
                       size_t record_len);
/* The target of id's redirect; LEAD_ENOTFOUND when id has none. When
 * out_record is not NULL it gets a copy of the kept contact record (NULL
 * when none), allocated with the engine's allocator: the caller frees it. */
int lead__redirect_get(lead_engine *engine, uint64_t id, uint64_t *out_target,
                       unsigned char **out_record, size_t *out_len);

#endif

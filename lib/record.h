/* Private: the versioned, length-prefixed binary record format
 * (docs/storage.md, "Record format").
 *
 *   0  'L' 'R'            magic
 *   2  u8 kind            LEAD__REC_CONTACT, LEAD__REC_EVENT, LEAD__REC_META
 *   3  u8 version         of that kind's field layout
 *   4  u32 field count
 *   8  u32 body length    bytes after this 12-byte header
 *  12  fields: u16 tag, u32 length, value bytes
 *
 * All integers little-endian. Integer values are 8 bytes (two's complement),
 * doubles 8 bytes IEEE-754, strings UTF-8 without NUL. */
#ifndef LEAD_LIB_RECORD_H
#define LEAD_LIB_RECORD_H

#include "alloc.h"

#define LEAD__REC_HEADER 12u
#define LEAD__REC_CONTACT 1u
#define LEAD__REC_EVENT 2u
#define LEAD__REC_META 3u

typedef struct lead__rec_writer {
    const lead__mem *mem;
    unsigned char *buf; /* owned; reused across records */
    size_t len, cap;
    uint32_t fields;
    int status; /* first failure, sticky */
} lead__rec_writer;

/* Little-endian n-byte integers (n <= 8), and two's complement back to
 * signed without implementation-defined conversions. */
void lead__put_le(unsigned char *p, uint64_t v, unsigned n);
uint64_t lead__get_le(const unsigned char *p, unsigned n);
int64_t lead__as_signed(uint64_t u);

void lead__rec_begin(lead__rec_writer *w, unsigned kind, unsigned version);
void lead__rec_bytes(lead__rec_writer *w, unsigned tag, const void *value, size_t len);
void lead__rec_i64(lead__rec_writer *w, unsigned tag, int64_t value);
/* Writes nothing for a NULL string: absent and NULL read back the same. */
void lead__rec_str(lead__rec_writer *w, unsigned tag, const char *s);
/* Patches the header; LEAD_OK or the first failure (LEAD_ENOMEM, LEAD_ELIMIT). */
int lead__rec_end(lead__rec_writer *w);
void lead__rec_writer_free(lead__rec_writer *w);

typedef struct lead__rec_reader {
    const unsigned char *p;
    size_t len, off;
    uint32_t fields_left;
    unsigned version;
} lead__rec_reader;

/* Validates the header (magic, kind, version 1..max_version, body length,
 * and that the fields exactly fill the body). LEAD_ECORRUPT, or
 * LEAD_EVERSION for a version above max_version. */
int lead__rec_open(lead__rec_reader *r, const void *bytes, size_t len, unsigned kind,
                   unsigned max_version);
/* Next field; LEAD_ITEROVER after the last. */
int lead__rec_next(lead__rec_reader *r, unsigned *tag, const unsigned char **value, size_t *len);
/* Decodes an 8-byte integer field; LEAD_ECORRUPT for another length. */
int lead__rec_as_i64(const unsigned char *value, size_t len, int64_t *out);
/* Copies a string field (validated UTF-8, no NUL) into *out, freeing the old
 * value; LEAD_ECORRUPT or LEAD_ENOMEM. */
int lead__rec_as_str(const lead__mem *mem, const unsigned char *value, size_t len, char **out);

#endif

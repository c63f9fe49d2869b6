/*
 * liblead — version numbers.
 *
 * The compile-time macros describe the headers you built against; the
 * functions describe the library you are running with. Compare them to
 * detect a mismatched shared library at start-up.
 */
#ifndef LEAD_VERSION_H
#define LEAD_VERSION_H

#define LEAD_VERSION_MAJOR 0
#define LEAD_VERSION_MINOR 1
#define LEAD_VERSION_PATCH 0

/** MAJOR * 10000 + MINOR * 100 + PATCH, e.g. 100 for 0.1.0. */
#define LEAD_VERSION_NUMBER \
    (LEAD_VERSION_MAJOR * 10000 + LEAD_VERSION_MINOR * 100 + LEAD_VERSION_PATCH)

#define LEAD_VERSION_STRING "0.1.0"

#endif /* LEAD_VERSION_H */

/* Status code descriptions. */
#include "lead/common.h"

const char *lead_strerror(int code)
{
    switch (code) {
    case LEAD_OK: return "success";
    case LEAD_EINVAL: return "invalid argument";
    case LEAD_ENOMEM: return "out of memory";
    case LEAD_ENOTFOUND: return "not found";
    case LEAD_EEXISTS: return "already exists";
    case LEAD_ESTORE: return "store callback failed";
    case LEAD_ECLOCK: return "clock callback failed";
    case LEAD_ELIMIT: return "limit exceeded";
    case LEAD_EFORMAT: return "bad format";
    case LEAD_ESTATE: return "invalid state for this operation";
    case LEAD_ITEROVER: return "iteration over";
    case LEAD_EVERSION: return "unsupported version";
    case LEAD_EUTF8: return "invalid UTF-8";
    case LEAD_ETOOLONG: return "string too long";
    case LEAD_ECORRUPT: return "corrupt record";
    case LEAD_ECANCELED: return "canceled by callback";
    case LEAD_EERASED: return "contact erased";
    case LEAD_ENUMERIC: return "numeric result not finite";
    default: return "unknown error";
    }
}

/*
 * liblead — an embeddable lead engine: contacts, touchpoint events,
 * lifecycle stages, lead scoring and marketing attribution.
 *
 * This umbrella header is the one an application includes.
 */
#ifndef LEAD_H
#define LEAD_H

#include "lead/version.h"
#include "lead/common.h"
#include "lead/sys/clock.h"
#include "lead/engine.h"
#include "lead/stage.h"
#include "lead/sys/store.h"
#include "lead/sys/journal.h"
#include "lead/contact.h"
#include "lead/event.h"
#include "lead/journey.h"
#include "lead/attribution.h"
#include "lead/funnel.h"
#include "lead/score.h"
#include "lead/markov.h"
#include "lead/segment.h"
#include "lead/engine_score.h"

#endif /* LEAD_H */

"""The paraphrase generator's templates (data): surface forms with ids, read by `benchmarks/paraphrases.py`.

Every entry is ``id: text``. An id names one template or one lexical choice; the generator splits the ids of each
family (and of each key inside a family, e.g. the forms of one KPI) between ``tune`` and ``test``, so a phrasing that
feeds one split never appears in the other. ``{v}`` stands for a value as written (number and unit), ``{k}`` for a KPI
phrase, ``{x}`` for a clause. The forms were written from general knowledge of how operators phrase intents, not from
the planner's misses.
"""

from __future__ import annotations

# -- KPI noun phrases (network-wide, no slice) --------------------------------------------------------------------------
KPI_FORMS: dict[str, dict[str, str]] = {
    "energy_w": {
        "en.use": "energy use", "en.consumption": "energy consumption", "en.pconsumption": "power consumption",
        "en.draw": "power draw", "en.bill": "the energy bill", "en.elec": "electricity use",
        "en.netpower": "the network's power usage", "en.total": "total power", "en.plain": "energy",
        "en.elecc": "electricity consumption", "en.footprint": "the energy footprint", "en.puse": "power use",
    },
    "energy_efficiency": {
        "ee.plain": "energy efficiency", "ee.bpj": "bits per joule", "ee.hyph": "energy-efficiency",
        "ee.mbpj": "megabits per joule", "ee.tpw": "throughput per watt", "ee.dpj": "data delivered per joule",
        "ee.netee": "the network's energy efficiency", "ee.bitsj": "bits/J",
    },
    "throughput_mean_mbps": {
        "tm.avg": "average throughput", "tm.mean": "mean throughput", "tm.user": "user throughput",
        "tm.rates": "data rates", "tm.dl": "download speeds", "tm.cap": "capacity", "tm.bitrate": "average bit rate",
        "tm.meanuser": "mean user throughput", "tm.speeds": "speeds", "tm.net": "network throughput",
    },
    "throughput_p5_mbps": {
        "t5.edge": "cell-edge throughput", "t5.p5": "5th-percentile throughput", "t5.worst": "worst-user throughput",
        "t5.tail": "tail throughput", "t5.edgerate": "cell-edge data rate", "t5.fifth": "fifth percentile throughput",
        "t5.weak": "throughput of the weakest users", "t5.bottom": "throughput of the bottom 5% of users",
    },
    "coverage": {
        "cv.plain": "coverage", "cv.net": "network coverage", "cv.ratio": "the coverage ratio",
        "cv.radio": "radio coverage", "cv.share": "coverage of users", "cv.the": "the coverage",
    },
    "fairness": {
        "fa.plain": "fairness", "fa.jain": "Jain's fairness index", "fa.between": "fairness between users",
        "fa.jidx": "the Jain index", "fa.tput": "throughput fairness", "fa.user": "user fairness",
    },
    "latency_ms": {
        "la.plain": "latency", "la.delay": "delay", "la.pkt": "packet delay", "la.resp": "response time",
        "la.lag": "lag", "la.e2e": "end-to-end latency", "la.avg": "average latency", "la.netdelay": "network delay",
    },
    "handover_rate": {
        "ho.rate": "the handover rate", "ho.plain": "handovers", "ho.offs": "hand-offs", "ho.num": "handover counts",
        "ho.hos": "hand-overs", "ho.freq": "handover frequency",
    },
    "prb_utilization": {
        "pr.util": "PRB utilization", "pr.usage": "PRB usage", "pr.rb": "resource block utilisation",
        "pr.load": "cell load", "pr.prbload": "PRB load", "pr.rbusage": "resource block usage",
    },
    "active_cells": {
        "ac.active": "active cells", "ac.on": "cells switched on", "ac.awake": "awake cells",
        "ac.num": "the number of active cells", "ac.count": "the count of active cells",
        "ac.powered": "powered-on cells",
    },
}

# -- slices ---------------------------------------------------------------------------------------------------------------
SLICE_NAMES: dict[str, dict[str, str]] = {
    "urllc": {"su.caps": "URLLC", "su.urll": "ultra-reliable low-latency", "su.mc": "mission-critical",
              "su.lower": "urllc"},
    "embb": {"se.caps": "eMBB", "se.mbb": "mobile broadband", "se.video": "video", "se.lower": "embb"},
    "mmtc": {"sm.caps": "mMTC", "sm.iot": "IoT", "sm.sensor": "sensor", "sm.m2m": "machine-type",
             "sm.meter": "smart meter"},
}
#: how a slice qualifies a KPI phrase: {s} the slice name, {k} the KPI phrase
SLICE_QUALIFIERS: dict[str, str] = {
    "sq.users": "{k} for {s} users", "sq.pre": "{s} {k}", "sq.slice": "{k} on the {s} slice",
    "sq.traffic": "{k} of {s} traffic", "sq.devices": "{k} for {s} devices", "sq.of": "the {s} slice's {k}",
}

# -- objective phrases: {k} the KPI phrase ---------------------------------------------------------------------------------
OBJECTIVE_MIN: dict[str, str] = {
    "om.minimize": "minimize {k}", "om.reduce": "reduce {k}", "om.cut": "cut {k}", "om.lower": "lower {k}",
    "om.bringdown": "bring {k} down", "om.decrease": "decrease {k}", "om.trim": "trim {k}",
    "om.drivedown": "drive down {k}", "om.aslow": "get {k} as low as possible", "om.minimum": "keep {k} to a minimum",
    "om.slash": "slash {k}", "om.curb": "curb {k}", "om.minimise": "minimise {k}", "om.improve": "improve {k}",
    "om.optimise": "optimise {k}", "om.lowest": "aim for the lowest possible {k}",
}
OBJECTIVE_MAX: dict[str, str] = {
    "ox.maximize": "maximize {k}", "ox.increase": "increase {k}", "ox.boost": "boost {k}", "ox.raise": "raise {k}",
    "ox.pushup": "push {k} up", "ox.ashigh": "get {k} as high as possible", "ox.improve": "improve {k}",
    "ox.enhance": "enhance {k}", "ox.maximise": "maximise {k}", "ox.grow": "grow {k}",
    "ox.optimize": "optimize {k}", "ox.best": "give users the best {k}", "ox.highest": "aim for the highest {k}",
    "ox.strengthen": "strengthen {k}",
}
#: the objective as a noun phrase after a label ("goal: lowest energy use")
OBJECTIVE_NOUN_MIN: dict[str, str] = {"onm.goal": "goal: the lowest {k}", "onm.priority": "priority: less {k}",
                                      "onm.objective": "objective: minimal {k}", "onm.target": "target: lower {k}"}
OBJECTIVE_NOUN_MAX: dict[str, str] = {"onx.goal": "goal: the highest {k}", "onx.priority": "priority: more {k}",
                                      "onx.objective": "objective: maximum {k}", "onx.target": "target: higher {k}"}
#: energy only: verbs that take energy as their object ("save energy")
OBJECTIVE_ENERGY: dict[str, str] = {"oe.save": "save {k}", "oe.conserve": "conserve {k}",
                                    "oe.economize": "economize on {k}", "oe.saveasmuch": "save as much {k} as possible"}

# -- ratio KPI: the inverse ratio ("energy per bit" is the inverse of bits per joule) ----------------------------------
#: phrases for the inverse of energy efficiency; minimizing them maximizes energy_efficiency
INVERSE_EFFICIENCY: dict[str, str] = {
    "ie.epb": "the energy per bit", "ie.jpb": "joules per bit", "ie.epm": "energy per megabit",
    "ie.wpm": "watts per Mbps of throughput", "ie.jpbit": "the joules spent per bit",
}

# -- means vs ends ---------------------------------------------------------------------------------------------------------
#: the means named as an imperative, with no KPI: the end is energy, the knob is `active`
MEANS_SLEEP: dict[str, str] = {
    "ms.whatyoucan": "switch off what you can", "ms.idle": "put idle cells to sleep",
    "ms.spare": "turn off spare cells", "ms.shutdown": "shut down unneeded cells",
    "ms.sleepmode": "use sleep mode wherever possible", "ms.powerdown": "power down lightly loaded cells",
    "ms.switchoffidle": "switch idle cells off", "ms.turnoffunused": "turn unused cells off",
}
#: the means as a purpose clause after an energy objective ("... by putting cells to sleep")
MEANS_BY: dict[str, str] = {
    "mb.sleeping": "by putting cells to sleep", "mb.switching": "by switching off idle cells",
    "mb.sleepmode": "using sleep modes only", "mb.turning": "by turning off spare cells",
    "mb.deactivating": "by deactivating unused cells", "mb.sleepmodes": "through cell sleep modes",
}
#: the ends: the number of active cells is itself the objective (gold: minimize active_cells)
ENDS_CELLS: dict[str, str] = {
    "ec.asmany": "put as many cells to sleep as you can", "ec.fewest": "use the fewest active cells possible",
    "ec.minnum": "minimize the number of active cells", "ec.asmanyoff": "switch off as many cells as possible",
    "ec.maxsleep": "maximize the number of sleeping cells", "ec.fewer": "run fewer active cells",
}

# -- constraint values: comparators ({v} the value as written) ----------------------------------------------------------
#: lower bounds (op >=), with whether the phrase is a negation
LOWER: dict[str, tuple[str, bool]] = {
    "lo.atleast": ("at least {v}", False), "lo.above": ("above {v}", False), "lo.over": ("over {v}", False),
    "lo.morethan": ("more than {v}", False), "lo.ormore": ("{v} or more", False), "lo.orhigher": ("{v} or higher", False),
    "lo.geq": (">= {v}", False), "lo.unicode": ("≥ {v}", False), "lo.atorabove": ("at or above {v}", False),
    "lo.minimumof": ("a minimum of {v}", False), "lo.nolessthan": ("no less than {v}", True),
    "lo.nolowerthan": ("no lower than {v}", True), "lo.notbelow": ("not below {v}", True),
    "lo.neverbelow": ("never below {v}", True), "lo.vmin": ("{v} minimum", False),
    "lo.notunder": ("not under {v}", True), "lo.greater": ("greater than {v}", False),
    "lo.orbetter": ("{v} or better", False),
}
UPPER: dict[str, tuple[str, bool]] = {
    "up.below": ("below {v}", False), "up.under": ("under {v}", False), "up.atmost": ("at most {v}", False),
    "up.lessthan": ("less than {v}", False), "up.orless": ("{v} or less", False), "up.vmax": ("{v} max", False),
    "up.leq": ("<= {v}", False), "up.unicode": ("≤ {v}", False), "up.atorbelow": ("at or below {v}", False),
    "up.maximumof": ("a maximum of {v}", False), "up.nomorethan": ("no more than {v}", True),
    "up.nohigherthan": ("no higher than {v}", True), "up.notabove": ("not above {v}", True),
    "up.notover": ("not over {v}", True), "up.within": ("within {v}", False), "up.capped": ("capped at {v}", False),
    "up.neverabove": ("never above {v}", True), "up.orlower": ("{v} or lower", False),
}
#: events that would break a bound, to be negated: for a lower bound the KPI must not fall
FALL: dict[str, tuple[str, str]] = {  # id: (base form, -ing form)
    "fa.dropbelow": ("drop below", "dropping below"), "fa.fallunder": ("fall under", "falling under"),
    "fa.dipbelow": ("dip below", "dipping below"), "fa.gobelow": ("go below", "going below"),
    "fa.sinkbelow": ("sink below", "sinking below"), "fa.slipunder": ("slip under", "slipping under"),
    "fa.fallbelow": ("fall below", "falling below"), "fa.gounder": ("go under", "going under"),
}
RISE: dict[str, tuple[str, str]] = {
    "ri.exceed": ("exceed", "exceeding"), "ri.goabove": ("go above", "going above"),
    "ri.riseabove": ("rise above", "rising above"), "ri.climbover": ("climb over", "climbing over"),
    "ri.goover": ("go over", "going over"), "ri.surpass": ("surpass", "surpassing"),
    "ri.getabove": ("get above", "getting above"), "ri.creepabove": ("creep above", "creeping above"),
}

# -- constraint clauses: {k} KPI phrase, {c} comparator phrase with value, {e}/{eing} event, {v} value --------------------
# Each clause has a kind that says which sentence frames it fits: `imp` an imperative ("keep coverage above 95%"),
# `decl` a statement with the KPI as subject ("coverage must stay above 95%"), `adj` an adjunct that attaches to the
# objective ("while keeping coverage above 95%", "without letting coverage drop below 95%"), `np` a noun phrase
# ("coverage above 95%").
CONSTRAINT_PLAIN: dict[str, dict[str, str]] = {
    "imp": {"cp.keep": "keep {k} {c}", "cp.ensure": "ensure {k} is {c}", "cp.maintain": "maintain {k} {c}",
            "cp.make": "make sure {k} stays {c}", "cp.hold": "hold {k} {c}"},
    "decl": {"cp.must": "{k} must stay {c}", "cp.remain": "{k} has to remain {c}", "cp.should": "{k} should be {c}",
             "cp.colon": "{k}: {c}", "cp.needs": "{k} needs to be {c}", "cp.is": "{k} is to stay {c}"},
    "adj": {"cp.with": "with {k} {c}", "cp.aslong": "as long as {k} stays {c}", "cp.provided": "provided {k} is {c}",
            "cp.keeping": "while keeping {k} {c}", "cp.holding": "holding {k} {c}", "cp.whilestays": "while {k} stays {c}",
            "cp.solong": "so long as {k} remains {c}"},
    "np": {"cp.np": "{k} {c}", "cp.npof": "a {k} of {c}"},
}
#: the value before the KPI ("with at least 97% coverage", "keeping at least 10 active cells")
CONSTRAINT_VALUE_FIRST: dict[str, dict[str, str]] = {
    "imp": {"cv.guarantee": "guarantee {c} {k}", "cv.keep": "keep {c} {k}"},
    "decl": {"cv.need": "we need {c} {k}", "cv.require": "we require {c} {k}"},
    "adj": {"cv.with": "with {c} {k}", "cv.keeping": "keeping {c} {k}"},
}
#: the bound stated as a negated event (all tagged negation)
CONSTRAINT_EVENT: dict[str, dict[str, str]] = {
    "imp": {"ce.never": "never let {k} {e} {v}", "ce.dont": "don't let {k} {e} {v}", "ce.avoid": "avoid {k} {eing} {v}",
            "ce.donot": "do not allow {k} to {e} {v}"},
    "decl": {"ce.mustnot": "{k} must not {e} {v}", "ce.cant": "{k} can't {e} {v}", "ce.shouldnever": "{k} should never {e} {v}",
             "ce.notallowed": "{k} is not allowed to {e} {v}", "ce.mustnever": "{k} must never {e} {v}"},
    "adj": {"ce.without": "without letting {k} {e} {v}", "ce.withouting": "without {k} {eing} {v}",
            "ce.nevering": "never letting {k} {e} {v}", "ce.preventing": "while preventing {k} from {eing} {v}"},
}
#: coverage >= 0.95 as an unquantified guard (the planner's documented default bound)
GUARD_COVERAGE: dict[str, dict[str, str]] = {
    "imp": {"gc.sacrifice": "don't sacrifice {k}", "gc.harm": "don't harm {k}", "gc.protect": "protect {k}"},
    "adj": {"gc.hurting": "without hurting {k}", "gc.degrading": "without degrading {k}",
            "gc.compromise": "without compromising {k}", "gc.protecting": "while protecting {k}"},
}
#: the objective KPI also bounded in its own direction: "reduce energy to 3.5 kW"
OBJECTIVE_TO: dict[str, str] = {"ot.bringto": "bring {k} down to {v}", "ot.reduceto": "reduce {k} to {v}",
                                "ot.cutto": "cut {k} to {v} or less", "ot.getunder": "get {k} under {v}",
                                "ot.lowerto": "lower {k} to at most {v}", "ot.raiseto": "raise {k} to at least {v}",
                                "ot.pushto": "push {k} to {v} or more", "ot.getabove": "get {k} above {v}",
                                "ot.increaseto": "increase {k} to at least {v}", "ot.boostto": "boost {k} above {v}"}

# -- units: how a value is written, per KPI unit --------------------------------------------------------------------------
#: id: (unit family, format name); the formats are implemented in paraphrases.py
UNIT_FORMATS: dict[str, dict[str, str]] = {
    "fraction": {"uf.pct": "{p}%", "uf.pctsp": "{p} %", "uf.percent": "{p} percent", "uf.percent2": "{p} per cent",
                 "uf.frac": "{f}", "uf.pctwords": "words percent"},
    "W": {"uf.w": "{W} W", "uf.watts": "{W} watts", "uf.kw": "{kW} kW", "uf.kilowatts": "{kW} kilowatts",
          "uf.wsep": "{W,} W", "uf.kwnosp": "{kW}kW"},
    "ms": {"uf.ms": "{ms} ms", "uf.millis": "{ms} milliseconds", "uf.s": "{s} s", "uf.seconds": "{s} seconds",
           "uf.msec": "{ms} msec", "uf.msnosp": "{ms}ms"},
    "Mbit/s": {"uf.mbps": "{M} Mbps", "uf.mbits": "{M} Mbit/s", "uf.gbps": "{G} Gbps", "uf.kbps": "{k} kbps",
               "uf.megabits": "{M} megabits per second", "uf.mbpsnosp": "{M}Mbps"},
    "handover": {"uf.permin": "{x} per user per minute", "uf.perminute": "{x} per minute", "uf.perhour": "{h} per hour",
                 "uf.peruserhour": "{h} per user per hour"},
    "fairness": {"uf.fairfrac": "{f}", "uf.fairpct": "{p}%"},
    "count": {"uf.cells": "{n}", "uf.cellwords": "words"},
    "Mbit/J": {"uf.mbitj": "{x} Mbit/J", "uf.mbj": "{x} Mb/J"},
}

# -- time -------------------------------------------------------------------------------------------------------------------
WINDOW_PHRASES: dict[str, dict[str, str]] = {
    "night": {"wn.atnight": "at night", "wn.overnight": "overnight", "wn.duringnight": "during the night",
              "wn.nighttime": "at nighttime", "wn.smallhours": "in the small hours", "wn.offpeak": "during off-peak hours"},
    "morning": {"wm.inthe": "in the morning", "wm.early": "in the early morning", "wm.mornings": "mornings"},
    "business_hours": {"wb.business": "during business hours", "wb.office": "in office hours",
                       "wb.working": "during working hours"},
    "lunch": {"wl.lunchtime": "at lunchtime", "wl.lunch": "over lunch", "wl.midday": "around midday"},
    "afternoon": {"wa.inthe": "in the afternoon", "wa.during": "during the afternoon", "wa.afternoons": "afternoons"},
    "evening": {"we.inthe": "in the evening", "we.evenings": "evenings", "we.during": "during the evening"},
    "peak": {"wp.peakhours": "at peak hours", "wp.busy": "during the busy hours", "wp.peaktime": "at peak time"},
    "rush_hours": {"wr.rush": "during rush hour", "wr.commute": "during the commute", "wr.rushhours": "at rush hours"},
    "daytime": {"wd.during": "during the day", "wd.daytime": "in daytime", "wd.daytimehours": "during daytime"},
    "all_day": {"wz.allday": "all day", "wz.clock": "around the clock", "wz.247": "24/7", "wz.whole": "the whole day"},
}
#: a clock span [a, b): {a} and {b} are clock times written in one CLOCK_FORMATS format
SPAN_FORMATS: dict[str, str] = {
    "sp.fromto": "from {a} to {b}", "sp.between": "between {a} and {b}", "sp.dash": "{a}-{b}",
    "sp.until": "from {a} until {b}", "sp.till": "from {a} till {b}", "sp.endash": "{a}–{b}",
}
#: clock time formats: "h24" 22:00, "h12" 10pm, "h12sp" 10 pm, "h12dots" 10 p.m., "hh" 22h, "h24dot" 22.00
CLOCK_FORMATS: dict[str, str] = {"ck.h24": "h24", "ck.h12": "h12", "ck.h12sp": "h12sp", "ck.h12dots": "h12dots",
                                 "ck.hh": "hh", "ck.h24dot": "h24dot"}
SINGLE_HOUR: dict[str, str] = {"sh.at": "at {a}", "sh.around": "around {a}"}
#: where the time phrase goes
TIME_POSITIONS: dict[str, str] = {"tp.start": "start", "tp.afterobj": "after_objective", "tp.end": "end"}

# -- cells and knobs ----------------------------------------------------------------------------------------------------------
CELL_FORMATS: dict[str, str] = {"cf.on": "on cells {list}", "cf.for": "for cells {list}", "cf.in": "in cells {list}",
                                "cf.hash": "on cells {hash}", "cf.range": "on cells {range}"}
KNOB_FORMS: dict[str, dict[str, str]] = {
    "tx_power_dbm": {"kt.transmit": "transmit power", "kt.tx": "tx power", "kt.output": "output power",
                     "kt.antenna": "antenna power"},
    "tilt_deg": {"kl.tilt": "tilt", "kl.antenna": "antenna tilt", "kl.downtilt": "downtilt",
                 "kl.electrical": "electrical tilt"},
    "cio_db": {"kc.cio": "CIO", "kc.offsets": "cell individual offsets", "kc.hooff": "handover offsets",
               "kc.cios": "the CIOs"},
    "slice_shares": {"ks.shares": "slice shares", "ks.split": "the slice split", "ks.alloc": "slice allocations",
                     "ks.prbsplit": "the PRB split"},
    "active": {"ka.sleep": "sleep mode", "ka.sleepmodes": "sleep modes", "ka.onoff": "cell on/off switching",
               "ka.activation": "cell activation"},
}
#: knobs as the only means: {n} a list of knob phrases
KNOB_ONLY: dict[str, str] = {"ko.using": "using {n} only", "ko.by": "by adjusting {n}", "ko.only": "only through {n}",
                             "ko.via": "via {n} alone", "ko.tuning": "by tuning {n}", "ko.just": "just by changing {n}"}
#: knobs excluded: {n} a list of knob phrases
KNOB_EXCLUDE: dict[str, str] = {"kx.donttouch": "don't touch {n}", "kx.without": "without changing {n}",
                                "kx.leave": "leave {n} alone", "kx.untouched": "keeping {n} untouched",
                                "kx.notmod": "do not modify {n}", "kx.fixed": "with {n} fixed"}
#: the `active` knob excluded, in words of its own
KEEP_CELLS_ON: dict[str, str] = {"kn.allon": "keep all cells on", "kn.noneoff": "without switching any cell off",
                                 "kn.everyon": "leave every cell switched on", "kn.dontsleep": "don't put any cell to sleep"}

# -- sentence frames ------------------------------------------------------------------------------------------------------------
#: how the objective and the constraints are put together, per constraint kind: {o} objective clause, {cs} the
#: constraint clauses joined ({O}, {CS}: capitalized)
FRAMES: dict[str, dict[str, str]] = {
    "imp": {"fr.but": "{o}, but {cs}", "fr.semicolon": "{o}; {cs}", "fr.and": "{o} and {cs}",
            "fr.sentences": "{O}. {CS}.", "fr.pre_sentences": "{CS}. {O}.", "fr.pre_semicolon": "{CS}; {o}",
            "fr.pre_then": "{CS}, then {o}", "fr.also": "{o}. Also {cs}."},
    "decl": {"fr.dbut": "{o}, but {cs}", "fr.dsemicolon": "{o}; {cs}", "fr.dsentences": "{O}. {CS}.",
             "fr.dotherwise": "{CS}; otherwise {o}", "fr.dpre_sentences": "{CS}. {O}.", "fr.dwhere": "{o} where {cs}",
             "fr.dcomma": "{o}, {cs}", "fr.dand": "{o} and {cs}"},
    "adj": {"fr.space": "{o} {cs}", "fr.acomma": "{o}, {cs}", "fr.apre": "{CS}, {o}", "fr.adash": "{o} - {cs}",
            "fr.apre_sentence": "{CS}: {o}"},
    "np": {"fr.subject": "{o} subject to {cs}", "fr.npwith": "{o} with {cs}", "fr.constraint": "{O}. Constraint: {cs}.",
           "fr.pre_np": "{CS} required; {o}", "fr.st": "{o} s.t. {cs}"},
}
#: frames with the constraint first (tagged "reordered")
REORDERED = {"fr.pre_sentences", "fr.pre_semicolon", "fr.pre_then", "fr.dotherwise", "fr.dpre_sentences", "fr.apre",
             "fr.apre_sentence", "fr.pre_np"}
#: joins between two constraint clauses
JOINS: dict[str, str] = {"jn.and": " and ", "jn.comma": ", ", "jn.semicolon": "; ", "jn.andalso": ", and also "}
#: politeness and framing around a text that starts with the objective's verb
WRAPPERS: dict[str, str] = {"wr.please": "Please {t}", "wr.could": "Could you {t}?",
                            "wr.need": "We need to {t}", "wr.want": "I want to {t}", "wr.thanks": "{T}, thanks",
                            "wr.pls": "{T} pls", "wr.goal": "The goal is to {t}", "wr.letus": "Let's {t}"}
#: typo operations on one word
TYPOS: dict[str, str] = {"ty.swap": "swap", "ty.drop": "drop", "ty.double": "double", "ty.key": "key"}

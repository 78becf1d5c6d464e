-- The peer baseline: "Jobsamtaler til alle ydelsesmodtagere" (v1.73) for the day-counted
-- groups, as an analyst would write it in DuckDB SQL without the jobindsats library.
--
-- benchmarks/peer_baseline.py fills the {placeholders} from jobindsats.rules.get_rules()
-- and runs the statements one by one (each ends with ";" at the end of a line); each
-- materialises one temp table, dropped once no later statement needs it. Dates are read
-- as INTEGER day numbers (days since 1970-01-01) and groups as small integer keys, so the
-- hot arithmetic is integer arithmetic. "Counted days" (R11) are differences of a
-- counted-day index:
--   cnum(x) = counted calendar days up to x (not 29 February, D1; not COVID-dead, R14)
--   P(x)    = cnum(x) minus the person's counted ordinary dead days up to x (R13), from
--             the person's merged dead intervals (table dead)
--   counted days in [a, b] = P(b) - P(a - 1)
-- Interval lookups are hash joins on person_id with a range filter against per-person
-- interval tables whose ranges [s, hi] partition the timeline (one match at most).

-- R11/D1/R14: the counted-day index -------------------------------------------------------
-- 29 Februaries up to x: every 1461 days from 1900-03-01 (exact for 1900-01-01..2100-12-31)
CREATE OR REPLACE TEMP MACRO dn(x) AS (x - DATE '1970-01-01')::INTEGER;

CREATE OR REPLACE TEMP MACRO c0(x) AS
    x - greatest(0, (least(x, {day_2100_02_28}) - {day_1900_03_01} + 1) // 1461);

CREATE OR REPLACE TEMP MACRO cnum(x) AS
    c0(x) - greatest(0, c0(least(x, {covid_end})) - c0({covid_start} - 1));

-- P(x), given the row of table dead whose [s, hi] holds x (NULLs when there is none)
CREATE OR REPLACE TEMP MACRO pval(x, ds, de, dbef) AS
    cnum(x) - coalesce(dbef + cnum(least(de, x)) - cnum(ds - 1), 0);

-- month index (year * 12 + month - 1) of a day number
CREATE OR REPLACE TEMP MACRO mi_of(x) AS
    year(DATE '1970-01-01' + x) * 12 + month(DATE '1970-01-01' + x) - 1;

-- the months 1900..2100 and the counted days (to invert cnum for the R20 window start)
CREATE TEMP TABLE mon AS
SELECT mi, make_date(mi // 12, mi % 12 + 1, 1) AS month,
       dn(make_date(mi // 12, mi % 12 + 1, 1)) AS mf,
       dn((make_date(mi // 12, mi % 12 + 1, 1) + INTERVAL 1 MONTH)::DATE) - 1 AS ml
FROM range(1900 * 12, 2101 * 12) t(mi);

CREATE TEMP TABLE cal AS
SELECT d::INTEGER AS d, cnum(d::INTEGER) AS c
FROM range({day_1900_01_01}, {day_2100_12_31} + 1) t(d)
WHERE NOT (month(DATE '1970-01-01' + d::INTEGER) = 2 AND day(DATE '1970-01-01' + d::INTEGER) = 29)
  AND NOT (d BETWEEN {covid_start} AND {covid_end});

-- R5: main benefit per day -----------------------------------------------------------------
-- rank by the D5 priority, supplementary rows after every other row; key = group index
-- (forrevalidering -> revalidering, R7) or 100 + benefit code when not measured. A row is
-- "single" when it shares no day with another row: no other row starts on s, s is after
-- every earlier end, the next start is after e. (Rows with one start tie in the window
-- order; they are never single, so the verdict does not depend on how ties are ordered.)
CREATE TEMP TABLE ben AS
WITH b AS (
    SELECT b.person_id, dn(b.start) AS s, dn(b."end") AS e, p.key,
           p.rnk + CASE WHEN b.supplementary THEN 64 ELSE 0 END AS rk
    FROM {benefits} b JOIN (VALUES {priority}) p(benefit, rnk, key) USING (benefit)
), w AS (
    SELECT *,
           max(e) OVER (PARTITION BY person_id ORDER BY s
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max,
           lag(s) OVER (PARTITION BY person_id ORDER BY s) AS prev_s,
           lead(s) OVER (PARTITION BY person_id ORDER BY s) AS next_s
    FROM b
)
SELECT person_id, s, e, key, rk,
       (prev_max IS NULL OR s > prev_max) AND prev_s IS DISTINCT FROM s
       AND (next_s IS NULL OR next_s > e) AS single
FROM w;

-- the other rows form clusters of rows linked by shared days; only those need painting.
-- A cluster starts at a start after every end of the rows starting earlier (RANGE
-- frames: rows with one start get one verdict and one cluster number).
CREATE TEMP TABLE multi AS
WITH r AS (
    SELECT person_id, s, e, key, rk,
           CASE WHEN s <= max(e) OVER (PARTITION BY person_id ORDER BY s
                                       RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                THEN 0 ELSE 1 END AS starts
    FROM ben WHERE NOT single
)
SELECT person_id, s, e, key, rk,
       sum(starts) OVER (PARTITION BY person_id ORDER BY s RANGE UNBOUNDED PRECEDING) AS cl
FROM r;

-- elementary pieces of each cluster; the covering row with the best rank wins
CREATE TEMP TABLE painted AS
WITH b AS (
    SELECT DISTINCT person_id, cl, x
    FROM (SELECT person_id, cl, s AS x FROM multi UNION ALL SELECT person_id, cl, e + 1 FROM multi)
), el AS (
    SELECT person_id, cl, x AS s, lead(x) OVER (PARTITION BY person_id, cl ORDER BY x) - 1 AS e
    FROM b
)
SELECT el.person_id, el.s, el.e, arg_min(m.key, m.rk) AS key
FROM el JOIN multi m
  ON m.person_id = el.person_id AND m.cl = el.cl AND m.s <= el.s AND m.e >= el.e
WHERE el.e IS NOT NULL
GROUP BY el.person_id, el.s, el.e;

-- main-benefit segments: touching pieces with the same key merged (gaps and islands:
-- keep the first and the last piece of each island, then pair them)
CREATE TEMP TABLE seg AS
WITH u AS (
    SELECT person_id, s, e, key FROM ben WHERE single
    UNION ALL
    SELECT person_id, s, e, key FROM painted
), f AS (
    SELECT person_id, s, e, key,
           coalesce(lag(e) OVER w = s - 1 AND lag(key) OVER w = key, false) AS cont_prev,
           coalesce(lead(s) OVER w = e + 1 AND lead(key) OVER w = key, false) AS cont_next
    FROM u WINDOW w AS (PARTITION BY person_id ORDER BY s)
), k AS (
    SELECT * FROM f WHERE NOT (cont_prev AND cont_next)
)
SELECT person_id, s,
       CASE WHEN cont_next THEN lead(e) OVER (PARTITION BY person_id ORDER BY s) ELSE e END AS e,
       key
FROM k
QUALIFY NOT cont_prev;
DROP TABLE ben;
DROP TABLE multi;
DROP TABLE painted;

-- R6/R8/R9/D4: a segment continues the spell of the segment just before it when that one
-- has the same key (or is overgangsydelse before kontanthjaelp/uddannelseshjaelp, R8) and
-- the gap between them holds no whole calendar month: start < 1st of (prev end's month + 2)
CREATE TEMP TABLE segsp AS
WITH l AS (
    SELECT *, lag(e) OVER w AS pe, lag(key) OVER w AS pk
    FROM seg WINDOW w AS (PARTITION BY person_id ORDER BY s)
), f AS (
    SELECT *, NOT coalesce(
        s < dn((date_trunc('month', DATE '1970-01-01' + pe) + INTERVAL 2 MONTH)::DATE)
        AND (pk = key OR (pk = {oy_key} AND key IN ({oy_joins}))), false) AS new_spell
    FROM l
)
SELECT person_id, s, e, key,
       max(CASE WHEN new_spell THEN s END)
           OVER (PARTITION BY person_id ORDER BY s ROWS UNBOUNDED PRECEDING) AS spell_start
FROM f;
DROP TABLE seg;

-- R1/R10: one row per person x month x covered group; the reference date is the last day
-- of the month with the group as main benefit (the group's last segment in the month)
CREATE TEMP TABLE rows0 AS
WITH sc AS (
    SELECT person_id, key AS grp, s, e, spell_start,
           lead(s) OVER (PARTITION BY person_id, key ORDER BY s) AS next_s,
           max(e) OVER (PARTITION BY person_id, key, spell_start) AS spell_end
    FROM segsp
    WHERE key IN ({groups}) AND e >= {first_day} AND s <= {last_day}
), x AS (
    SELECT *, unnest(generate_series(greatest(mi_of(s), {first_mi}), least(mi_of(e), {last_mi})))
                  AS mi
    FROM sc
)
SELECT x.person_id, x.grp, x.mi, m.mf, least(x.e, m.ml) AS ref, x.spell_start, x.spell_end
FROM x JOIN mon m USING (mi)
WHERE x.next_s IS NULL OR x.next_s > m.ml;

-- R13: merged ordinary dead intervals per person, with the counted dead days before each;
-- [s, hi] runs to the day before the next one, so every day from the first s has one row
CREATE TEMP TABLE dead AS
WITH r AS (
    SELECT person_id, dn(start) AS s, dn("end") AS e FROM {exemptions} WHERE code IN ({dead_codes})
), f AS (
    SELECT *, CASE WHEN s <= max(e) OVER (PARTITION BY person_id ORDER BY s
                                         RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                   THEN 0 ELSE 1 END AS brk
    FROM r
), g AS (
    SELECT *, sum(brk) OVER (PARTITION BY person_id ORDER BY s RANGE UNBOUNDED PRECEDING) AS isl
    FROM f
), m AS (
    SELECT person_id, min(s) AS s, max(e) AS e FROM g GROUP BY person_id, isl
), c AS (
    SELECT *, cnum(e) - cnum(s - 1) AS cd,
           coalesce(lead(s) OVER (PARTITION BY person_id ORDER BY s) - 1, {far_day}) AS hi,
           coalesce(sum(cnum(e) - cnum(s - 1)) OVER (PARTITION BY person_id ORDER BY s
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::BIGINT AS dbef
    FROM m
)
-- pe = P(e), phi = P(hi): P runs from pe + 1 to phi on the free days after this interval
SELECT person_id, s, e, hi, dbef, dbef + cd AS daft,
       cnum(e) - dbef - cd AS pe, cnum(hi) - dbef - cd AS phi
FROM c;

-- R2: the days from which a person is 16 and has reached the state pension age (completed
-- months; a birthday missing from a month is reached on the 1st of the next month)
CREATE TEMP TABLE per AS
WITH p AS (
    SELECT person_id, birth_date AS b, {pension_months} AS pm FROM {persons}
), t AS (
    SELECT person_id, b, (b + to_months({min_age_months}))::DATE AS t16,
           (b + to_months(pm))::DATE AS tpension
    FROM p
)
SELECT person_id,
       dn(t16) + CASE WHEN day(t16) < day(b) THEN 1 ELSE 0 END AS from_day,
       dn(tpension) + CASE WHEN day(tpension) < day(b) THEN 1 ELSE 0 END AS pension_day
FROM t;

-- spells measured in the period: R24 registration and P(spell start - 1)
CREATE TEMP TABLE spells AS
WITH sp AS (
    SELECT DISTINCT person_id, grp, spell_start, spell_end FROM rows0
), rg AS (
    SELECT sp.person_id, sp.grp, sp.spell_start, min(dn(r.date)) AS reg
    FROM sp JOIN {registrations} r
      ON r.person_id = sp.person_id
     AND dn(r.date) >= dn((DATE '1970-01-01' + sp.spell_start
                           - INTERVAL {prepay_months} MONTH)::DATE)
     AND dn(r.date) < sp.spell_start
    WHERE sp.spell_start >= {prepay_from} AND sp.grp IN ({prepay_groups})
    GROUP BY ALL
)
SELECT row_number() OVER () AS sid, sp.*, rg.reg,
       pval(sp.spell_start - 1, d.s, d.e, d.dbef) AS p_ss1
FROM sp
LEFT JOIN rg USING (person_id, grp, spell_start)
LEFT JOIN dead d ON d.person_id = sp.person_id AND sp.spell_start - 1 BETWEEN d.s AND d.hi;

-- R2, R3, R11/R12 duration and interval, R20 window start; excluded rows are dropped
CREATE TEMP TABLE rows1 AS
WITH a AS (
    SELECT r.person_id, r.grp, r.mi, r.ref, r.spell_start, s.sid, s.reg, s.p_ss1,
           pval(r.ref, d.s, d.e, d.dbef) AS p_ref,
           coalesce(d.s <= greatest(r.spell_start, r.mf) AND r.ref <= d.e, false) AS dead_month,
           p.from_day, p.pension_day
    FROM rows0 r
    JOIN spells s USING (person_id, grp, spell_start)
    LEFT JOIN dead d ON d.person_id = r.person_id AND r.ref BETWEEN d.s AND d.hi
    LEFT JOIN per p ON p.person_id = r.person_id
), b AS (
    SELECT * EXCLUDE (dead_month, from_day, pension_day), p_ref - p_ss1 AS days
    FROM a
    WHERE NOT dead_month
      AND (from_day IS NULL OR (ref >= from_day AND ref < pension_day))
), c AS (
    SELECT *, {interval_of_days} AS iv FROM b
)
-- 12+: the window starts on the 365th counted day back from the reference date, the
-- counted day with P = P(ref) - 364 (in the free stretch holding that P value)
SELECT c.person_id, c.grp, c.mi, c.ref, c.spell_start, c.sid, c.iv, c.p_ref,
       CASE WHEN c.iv = 12 THEN k.d ELSE c.spell_start END AS ws,
       CASE WHEN c.iv = 12 THEN c.p_ref - {window_days} ELSE c.p_ss1 END AS p_ws1
FROM c
LEFT JOIN dead w
  ON c.iv = 12 AND w.person_id = c.person_id
 AND c.p_ref - {window_days} + 1 > w.pe AND c.p_ref - {window_days} + 1 <= w.phi
LEFT JOIN cal k
  ON c.iv = 12 AND k.c = c.p_ref - {window_days} + 1 + coalesce(w.daft, 0);
DROP TABLE rows0;

-- R21/R13/R14/R22/R23: job interviews a spell could count, one row per person and day
-- (R27), with the form verdicts that do not depend on the spell: ok_first (R22 from
-- 2023-03-22 for the spell's first interview: in person or R23), ok_old (R22 up to
-- 2023-03-21 without (c): in person, (a) offer, (b) reopening, (d) R23)
CREATE TEMP TABLE ivd AS
WITH i AS (
    SELECT person_id, dn(date) AS d, form, municipality AS muni
    FROM {interviews}
    WHERE kind = 'jobsamtale' AND held_by <> 'akasse'
      AND NOT (dn(date) BETWEEN {closed_start} AND {closed_end}) AND dn(date) <= {last_day}
), j AS (
    SELECT i.*, pval(i.d, dd.s, dd.e, dd.dbef) AS p_d
    FROM i LEFT JOIN dead dd ON dd.person_id = i.person_id AND i.d BETWEEN dd.s AND dd.hi
    WHERE dd.e IS NULL OR i.d > dd.e
), remote AS (
    SELECT j.*,
           EXISTS (SELECT 1 FROM (VALUES {trials}) t(muni, form, s, e)
                   WHERE t.muni = j.muni AND t.form = j.form AND j.d BETWEEN t.s AND t.e) AS trial
    FROM j WHERE form <> 'personligt'
), o AS (
    SELECT person_id, d, p_d, true AS ok_first, true AS ok_old FROM j WHERE form = 'personligt'
    UNION ALL
    SELECT person_id, d, p_d, trial, true FROM remote
    WHERE trial OR d >= {form_rule_from} OR {reopened}
    UNION ALL
    SELECT person_id, d, p_d, false,
           EXISTS (SELECT 1 FROM {offers} f
                   WHERE f.person_id = r.person_id AND r.d BETWEEN dn(f.start) AND dn(f."end"))
    FROM remote r
    WHERE NOT (trial OR d >= {form_rule_from} OR {reopened})
)
SELECT person_id, d, any_value(p_d) AS p_d, bool_or(ok_first) AS ok_first, bool_or(ok_old) AS ok_old
FROM o GROUP BY person_id, d;

-- eligible interview days per spell (from the spell start, or R24's registration), numbered
CREATE TEMP TABLE el AS
WITH j AS (
    SELECT s.sid, s.spell_start, s.p_ss1, i.d, i.p_d, i.ok_first, i.ok_old,
           min(i.d) OVER (PARTITION BY s.sid) AS first_d
    FROM spells s JOIN ivd i
      ON i.person_id = s.person_id AND i.d BETWEEN coalesce(s.reg, s.spell_start) AND s.spell_end
)
SELECT sid, d, row_number() OVER (PARTITION BY sid ORDER BY d) AS k
FROM j
WHERE CASE WHEN d >= {form_rule_from} THEN d <> first_d OR ok_first
           ELSE ok_old OR (d >= {remote_from} AND d >= spell_start
                           AND p_d - p_ss1 >= {remote_days}) END;

-- R30: qualifying exemption days per person and group, merged; category-specific codes
-- only on days with a qualifying category (visitation painted: latest start wins)
CREATE TEMP TABLE vis AS
WITH v AS (
    SELECT person_id, dn(start) AS s, dn("end") AS e, category,
           (dn(start)::BIGINT * 100000 + dn("end")) * 10 + list_position({categories}, category)
               AS o
    FROM {visitation}
), b AS (
    SELECT DISTINCT person_id, x
    FROM (SELECT person_id, s AS x FROM v UNION ALL SELECT person_id, e + 1 FROM v)
), el AS (
    SELECT person_id, x AS s, lead(x) OVER (PARTITION BY person_id ORDER BY x) - 1 AS e FROM b
)
SELECT el.person_id, el.s, el.e, arg_max(v.category, v.o) AS category
FROM el JOIN v ON v.person_id = el.person_id AND v.s <= el.s AND v.e >= el.e
WHERE el.e IS NOT NULL
GROUP BY el.person_id, el.s, el.e;

CREATE TEMP TABLE exq AS
WITH x AS (
    SELECT person_id, code, dn(start) AS s, dn("end") AS e FROM {exemptions}
), pc AS (
    SELECT x.person_id, q.grp, x.s, x.e
    FROM x JOIN (VALUES {exempt_codes}) q(grp, code) USING (code)
    UNION ALL
    SELECT x.person_id, q.grp, greatest(x.s, v.s) AS s, least(x.e, v.e) AS e
    FROM x JOIN (VALUES {exempt_category_codes}) q(grp, code, category) USING (code)
    JOIN vis v ON v.person_id = x.person_id AND v.category = q.category
              AND v.s <= x.e AND v.e >= x.s
), f AS (
    SELECT *, CASE WHEN s <= max(e) OVER (PARTITION BY person_id, grp ORDER BY s
                                         RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                   THEN 0 ELSE 1 END AS brk
    FROM pc
), g AS (
    SELECT *, sum(brk) OVER (PARTITION BY person_id, grp ORDER BY s RANGE UNBOUNDED PRECEDING)
                  AS isl
    FROM f
), m AS (
    SELECT person_id, grp, min(s) AS s, max(e) AS e FROM g GROUP BY person_id, grp, isl
), h AS (
    SELECT m.*,
           coalesce(lead(m.s) OVER (PARTITION BY m.person_id, m.grp ORDER BY m.s) - 1,
                    {far_day}) AS hi,
           pval(m.s - 1, d1.s, d1.e, d1.dbef) AS ps1, pval(m.e, d2.s, d2.e, d2.dbef) AS pe
    FROM m
    LEFT JOIN dead d1 ON d1.person_id = m.person_id AND m.s - 1 BETWEEN d1.s AND d1.hi
    LEFT JOIN dead d2 ON d2.person_id = m.person_id AND m.e BETWEEN d2.s AND d2.hi
)
-- counted qualifying days up to x in [s, hi]: qbef + P(min(e, x)) - ps1; pg = one key
-- for person and group
SELECT person_id * 16 + grp AS pg, s, e, hi, ps1, pe,
       coalesce(sum(pe - ps1) OVER (PARTITION BY person_id, grp ORDER BY s
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::BIGINT AS qbef
FROM h;

-- R32: merged MII days per person (plain days), with the days before each interval
CREATE TEMP TABLE miim AS
WITH r AS (
    SELECT person_id, dn(start) AS s, dn("end") AS e FROM {mii}
), f AS (
    SELECT *, CASE WHEN s <= max(e) OVER (PARTITION BY person_id ORDER BY s
                                         RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                   THEN 0 ELSE 1 END AS brk
    FROM r
), g AS (
    SELECT *, sum(brk) OVER (PARTITION BY person_id ORDER BY s RANGE UNBOUNDED PRECEDING) AS isl
    FROM f
), m AS (
    SELECT person_id, min(s) AS s, max(e) AS e FROM g GROUP BY person_id, isl
)
SELECT person_id, s, e,
       coalesce(lead(s) OVER (PARTITION BY person_id ORDER BY s) - 1, {far_day}) AS hi,
       coalesce(sum(e - s + 1) OVER (PARTITION BY person_id ORDER BY s
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::BIGINT AS mbef
FROM m;

-- R42: residence painted (latest start wins)
CREATE TEMP TABLE res AS
WITH v AS (
    SELECT person_id, dn(start) AS s, dn("end") AS e, municipality AS muni,
           (dn(start)::BIGINT * 100000 + dn("end")) * 1000 + municipality AS o
    FROM {residence}
), b AS (
    SELECT DISTINCT person_id, x
    FROM (SELECT person_id, s AS x FROM v UNION ALL SELECT person_id, e + 1 FROM v)
), el AS (
    SELECT person_id, x AS s, lead(x) OVER (PARTITION BY person_id ORDER BY x) - 1 AS e FROM b
)
SELECT el.person_id, el.s, el.e, arg_max(v.muni, v.o) AS muni
FROM el JOIN v ON v.person_id = el.person_id AND v.s <= el.s AND v.e >= el.e
WHERE el.e IS NOT NULL
GROUP BY el.person_id, el.s, el.e;

-- R20/R24/R27: counted interviews = eligible days in [window start, ref] (from R24's
-- registration below 12 months), as differences of the days' numbers (as-of lookups);
-- then R31/R32 exemption and R42 municipality
CREATE TEMP TABLE pm AS
WITH r AS (
    SELECT r.*, coalesce(a.k, 0) AS k_ref
    FROM rows1 r
    ASOF LEFT JOIN el a ON a.sid = r.sid AND r.ref >= a.d
), r2 AS (
    -- below 12 months every eligible day of the spell up to ref counts
    SELECT *, k_ref AS cnt FROM r WHERE iv < 12
    UNION ALL
    SELECT r.*, r.k_ref - coalesce(b.k, 0) AS cnt
    FROM (SELECT * FROM r WHERE iv = 12) r
    ASOF LEFT JOIN el b ON b.sid = r.sid AND r.ws > b.d
), x AS (
    SELECT r.grp, r.mi, r.ref, r.iv, r.cnt,
           r.p_ref - r.p_ws1 AS den,
           coalesce(q1.qbef + CASE WHEN r.ref >= q1.e THEN q1.pe ELSE r.p_ref END - q1.ps1, 0)
           - coalesce(q2.qbef + CASE WHEN r.ws - 1 >= q2.e THEN q2.pe ELSE r.p_ws1 END - q2.ps1, 0)
               AS num,
           coalesce(m1.mbef + least(m1.e, r.ref) - m1.s + 1, 0)
           - coalesce(m2.mbef + least(m2.e, r.spell_start - 1) - m2.s + 1, 0) AS mii_days,
           coalesce(h.muni, 999) AS muni
    FROM r2 r
    LEFT JOIN exq q1 ON q1.pg = r.person_id * 16 + r.grp AND r.ref BETWEEN q1.s AND q1.hi
    LEFT JOIN exq q2 ON q2.pg = r.person_id * 16 + r.grp AND r.ws - 1 BETWEEN q2.s AND q2.hi
    LEFT JOIN miim m1 ON m1.person_id = r.person_id AND r.ref BETWEEN m1.s AND m1.hi
    LEFT JOIN miim m2 ON m2.person_id = r.person_id AND r.spell_start - 1 BETWEEN m2.s AND m2.hi
    LEFT JOIN res h ON h.person_id = r.person_id AND r.ref BETWEEN h.s AND h.e
)
SELECT grp, mi, iv, cnt, muni,
       CASE WHEN ref >= {exempt24_from} AND iv < {exempt24_below}
            THEN (den > 0 AND 100 * num >= {exempt24_pct} * den) OR mii_days >= {mii_days}
            ELSE den > 0 AND 100 * num >= {exempt_pct} * den END AS exempt
FROM x;
DROP TABLE rows1;
DROP TABLE el;
DROP TABLE exq;
DROP TABLE miim;
DROP TABLE res;

-- R40: cells per month x municipality x group x fine interval, and national (0)
CREATE TEMP TABLE cells AS
SELECT mi,
       CASE WHEN grouping(muni) = 1 THEN 0 ELSE muni END AS municipality,
       grp, iv,
       count_if(NOT exempt AND cnt = 0) AS n0,
       count_if(NOT exempt AND cnt = 1) AS n1,
       count_if(NOT exempt AND cnt = 2) AS n2,
       count_if(NOT exempt AND cnt = 3) AS n3,
       count_if(NOT exempt AND cnt = 4) AS n4,
       count_if(NOT exempt AND cnt >= 5) AS n5plus,
       count_if(exempt) AS exempt,
       coalesce(sum(CASE WHEN exempt THEN 0 ELSE cnt END), 0) AS interviews
FROM pm
GROUP BY GROUPING SETS ((mi, muni, grp, iv), (mi, grp, iv));

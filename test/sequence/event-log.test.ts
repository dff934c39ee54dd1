import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  encodeEventLogCases,
  eventLogEncoderFromJSON,
  fitEventLogEncoder,
  parseEventLogCsv,
  parseHelpdeskCsv,
  splitEventLog,
  type EventLogCase,
} from "../../src/sequence/index.ts";
import { expectError } from "../helpers.ts";
import { hasHelpdesk, helpdeskDir, helpdeskFile, readHelpdesk, runHelpdeskProtocol } from "./protocols.ts";

const header = "CaseID,ActivityID,CompleteTimestamp\n";

describe("parseHelpdeskCsv", () => {
  it("groups rows by case in first-seen order and reads times as UTC", () => {
    const log = parseHelpdeskCsv(`${header}7,1,2012-04-03 16:55:38\r\n5,2,2012-04-01 00:00:00\n7,8,2012-04-04 16:55:38\n\n`);
    expect(log.map((c) => c.id)).toEqual(["7", "5"]);
    expect(log[0]!.activities).toEqual(["1", "8"]);
    expect(log[0]!.times).toEqual([Date.UTC(2012, 3, 3, 16, 55, 38), Date.UTC(2012, 3, 4, 16, 55, 38)]);
  });

  it("names the line of a malformed row", () => {
    expectError(() => parseHelpdeskCsv("a,b,c\n"), "E_BAD_INPUT", 'parseHelpdeskCsv: line 1 must be a header with CaseID, ActivityID and CompleteTimestamp, got "a,b,c"');
    expectError(() => parseHelpdeskCsv(`${header}1,2\n`), "E_BAD_INPUT", "parseHelpdeskCsv: line 2 must have 3 fields, got 2");
    expectError(() => parseHelpdeskCsv(`${header}1,2,2012-13-01 00:00:00\n`), "E_BAD_INPUT", 'line 2 CompleteTimestamp must be an ISO 8601 date-time (2024-03-01 09:30:00, 2024-03-01T09:30:00.250+02:00) or match options.dateFormat, got "2012-13-01 00:00:00"');
    expectError(() => parseHelpdeskCsv(`${header}1,2,2012-01-02 00:00:00\n1,3,2012-01-01 00:00:00\n`), "E_BAD_INPUT", 'line 3 CompleteTimestamp must not be earlier than the previous event of case "1"');
    expectError(() => parseHelpdeskCsv(header), "E_EMPTY", "parseHelpdeskCsv: text must hold at least one event row, got none");
  });
});

describe("parseEventLogCsv: files as process-mining tools and spreadsheets write them", () => {
  const columns = { caseColumn: "case", activityColumn: "activity", timeColumn: "time" } as const;

  it("reads RFC 4180 quoting: the delimiter, doubled quotes and line breaks inside a field", () => {
    const text = 'case,activity,time\n"A 1","Review, legal",2024-01-02 09:00\nA 1,"Say ""yes""",2024-01-02 10:00\n"A 1","two\nlines",2024-01-02 11:00\nA 1,x,later\n';
    const log = parseEventLogCsv(text.replace(/A 1,x,later\n$/, ""), columns);
    expect(log).toEqual([{ id: "A 1", activities: ["Review, legal", 'Say "yes"', "two\nlines"], times: [9, 10, 11].map((h) => Date.UTC(2024, 0, 2, h)) }]);
    // Line numbers count the line break inside the quoted field: the bad row starts on line 6.
    expectError(() => parseEventLogCsv(text, columns), "E_BAD_INPUT", 'parseEventLogCsv: line 6 time must be an ISO 8601 date-time (2024-03-01 09:30:00, 2024-03-01T09:30:00.250+02:00) or match options.dateFormat, got "later"');
    expectError(() => parseEventLogCsv('case,activity,time\nA,"open,2024-01-02\n', columns), "E_BAD_INPUT", "line 2");
  });

  it("detects a semicolon, tab or pipe delimiter from the header, or takes the one given", () => {
    const rows = [["case", "activity", "time"], ["A", "a,b", "2024-01-02"], ["A", "c", "2024-01-03"]];
    for (const delimiter of [";", "\t", "|"]) {
      const log = parseEventLogCsv(rows.map((r) => r.join(delimiter)).join("\n"), columns);
      expect(log[0]!.activities).toEqual(["a,b", "c"]);
    }
    // With the delimiter given, a header that holds more commas than semicolons still splits on semicolons.
    expect(parseEventLogCsv("case;activity;time;note\nA;a;2024-01-02;x,y,z,w\n", { ...columns, delimiter: ";" })[0]!.activities).toEqual(["a"]);
    expectError(() => parseEventLogCsv("case,activity,time\n", { ...columns, delimiter: '"' }), "E_BAD_INPUT", 'parseEventLogCsv: options.delimiter must be "auto" or one character other than a quote or a line break, got "\\""');
  });

  it("reads ISO 8601 with an offset as the exact instant, and without one as UTC", () => {
    const text = "case,activity,time\nA,a,2024-03-30T23:30:00.250+02:00\nA,b,2024-03-30T22:00:00Z\nA,c,2024-03-31 00:15\nA,d,2024-04-01\n";
    expect(parseEventLogCsv(text, columns)[0]!.times).toEqual([
      Date.UTC(2024, 2, 30, 21, 30, 0, 250),
      Date.UTC(2024, 2, 30, 22),
      Date.UTC(2024, 2, 31, 0, 15),
      Date.UTC(2024, 3, 1),
    ]);
  });

  it("reads other timestamp layouts by pattern", () => {
    const disco = "case,activity,time\nA,a,2011/10/01 00:38:44.546\nA,b,2011/10/01 08:08:58.256\n";
    expect(parseEventLogCsv(disco, { ...columns, dateFormat: "yyyy/MM/dd HH:mm:ss.SSS" })[0]!.times).toEqual([Date.UTC(2011, 9, 1, 0, 38, 44, 546), Date.UTC(2011, 9, 1, 8, 8, 58, 256)]);
    const european = "case;activity;time\nA;a;01.03.2017 14:05\n";
    expect(parseEventLogCsv(european, { ...columns, dateFormat: "dd.MM.yyyy HH:mm" })[0]!.times).toEqual([Date.UTC(2017, 2, 1, 14, 5)]);
    expectError(() => parseEventLogCsv(european, { ...columns, dateFormat: "MM/dd/yyyy" }), "E_BAD_INPUT", 'parseEventLogCsv: line 2 time must be a date in options.dateFormat "MM/dd/yyyy", got "01.03.2017 14:05"');
    expectError(() => parseEventLogCsv(european, { ...columns, dateFormat: "HH:mm" }), "E_BAD_INPUT", "parseEventLogCsv: options.dateFormat must hold a year (yyyy), a month (MM) and a day (dd)");
  });

  it("sorts each case's events by time on request (ties keep file order), and otherwise names the event out of order", () => {
    const text = "case,activity,time\nB,z,2024-01-05\nA,c,2024-01-03\nA,a,2024-01-01\nB,y,2024-01-04\nA,b1,2024-01-02\nA,b2,2024-01-02\n";
    const log = parseEventLogCsv(text, { ...columns, eventOrder: "time" });
    expect(log.map((c) => [c.id, c.activities])).toEqual([["B", ["y", "z"]], ["A", ["a", "b1", "b2", "c"]]]);
    expectError(() => parseEventLogCsv(text, columns), "E_BAD_INPUT", 'parseEventLogCsv: line 4 time must not be earlier than the previous event of case "A", got "2024-01-01" (pass eventOrder: "time" to sort each case\'s events by time)');
    expectError(() => parseEventLogCsv(text, { ...columns, eventOrder: "random" as "time" }), "E_BAD_INPUT", 'parseEventLogCsv: options.eventOrder must be one of "file", "time", got "random"');
  });

  it("reads back any log it is written as, whatever the delimiter, quoting, timestamp layout and row order (property)", () => {
    const name = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() === s && s.trim() !== "");
    const logArbitrary = fc.uniqueArray(
      fc.record({ id: name, steps: fc.array(fc.record({ activity: name, minutes: fc.integer({ min: 0, max: 5000 }) }), { minLength: 1, maxLength: 5 }) }),
      { minLength: 1, maxLength: 6, selector: (c) => c.id },
    );
    fc.assert(
      fc.property(logArbitrary, fc.constantFrom(",", ";", "\t", "|"), fc.constantFrom("space", "T", "Z", "+01:30"), fc.boolean(), fc.integer(), (raw, delimiter, layout, interleave, shuffleSeed) => {
        const base = Date.UTC(2023, 5, 1, 8);
        const cases: EventLogCase[] = raw.map((c) => {
          let t = base;
          const times = c.steps.map((s) => (t += s.minutes * 60_000));
          return { id: c.id, activities: c.steps.map((s) => s.activity), times };
        });
        const cell = (text: string) => (/["\r\n]/.test(text) || text.includes(delimiter) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
        const stamp = (ms: number) => {
          const iso = new Date(ms).toISOString().slice(0, 23);
          if (layout === "space") return iso.replace("T", " ");
          if (layout === "T") return iso;
          if (layout === "Z") return `${iso}Z`;
          return `${new Date(ms + 90 * 60_000).toISOString().slice(0, 23)}+01:30`;
        };
        const rows = cases.flatMap((c, n) => c.activities.map((a, t) => ({ n, t, line: [cell(c.id), cell(a), stamp(c.times[t]!)].join(delimiter) })));
        // Interleaving keeps each case's events in time order but mixes the cases (first rows stay in case order).
        const ordered = interleave ? [...rows].sort((x, y) => x.t - y.t || x.n - y.n) : rows;
        const text = ["case", "activity", "time"].join(delimiter) + "\n" + ordered.map((r) => r.line).join("\r\n") + "\n";
        expect(parseEventLogCsv(text, columns)).toEqual(cases);
        // Rows in any order come back in time order with eventOrder "time" (events at the same time in either order).
        let state = shuffleSeed;
        const shuffled = [...rows].sort(() => ((state = (state * 1103515245 + 12345) | 0) & 1 ? 1 : -1));
        const sortedText = ["case", "activity", "time"].join(delimiter) + "\n" + shuffled.map((r) => r.line).join("\n");
        const back = parseEventLogCsv(sortedText, { ...columns, eventOrder: "time" });
        for (const c of back) {
          const original = cases.find((x) => x.id === c.id)!;
          expect(c.times).toEqual(original.times);
          expect([...c.activities].sort()).toEqual([...original.activities].sort());
        }
      }),
      { seed: 19, numRuns: 150 },
    );
  });
});

describe("splitEventLog and the event-log encoder", () => {
  const cases = [
    { id: "c", activities: ["a", "b"], times: [3 * 86_400_000, 4 * 86_400_000] },
    { id: "a", activities: ["a"], times: [86_400_000] },
    { id: "b", activities: ["a", "c", "b"], times: [2 * 86_400_000, 2.5 * 86_400_000, 5 * 86_400_000] },
  ];

  it("splits chronologically or in file order, 2/3 train", () => {
    expect(splitEventLog(cases).train.map((c) => c.id)).toEqual(["a", "b"]);
    expect(splitEventLog(cases, { protocol: "file-order" }).train.map((c) => c.id)).toEqual(["c", "a"]);
    expectError(() => splitEventLog(cases, { protocol: "random" as "chronological" }), "E_BAD_INPUT", 'splitEventLog: options.protocol must be one of "chronological", "file-order", got "random"');
  });

  it("fits scales on training cases and encodes features and targets", () => {
    const encoder = fitEventLogEncoder(cases, { endMarker: "end", caseStart: true });
    // gaps 1, 0.5, 2.5 days: mean 4/3; ages 0, 1, 0, 0, 0.5, 3: mean 0.75; case starts from day 1 to day 3.
    expect([encoder.meanGapDays, encoder.meanAgeDays, encoder.caseStartSpanDays]).toEqual([4 / 3, 0.75, 2]);
    const [, , b] = encodeEventLogCases(encoder, cases);
    expect(b!.nextStages).toEqual(["c", "b", "end"]);
    expect(b!.daysToNext).toEqual([0.5, 2.5, null]);
    const row = b!.features![2]!;
    expect(row[0]).toBeCloseTo(Math.log1p(2.5 / (4 / 3)), 14);
    expect(row[1]).toBeCloseTo(Math.log1p(3 / 0.75), 14);
    expect(row[5]).toBe(0.5);
    expect(eventLogEncoderFromJSON(JSON.parse(JSON.stringify(encoder)))).toEqual(encoder);
    // caseStart is off by default: five features, the same first five.
    const plain = fitEventLogEncoder(cases, { endMarker: "end" });
    expect([plain.caseStart, plain.featureNames.length]).toEqual([false, 5]);
    expect(Array.from(encodeEventLogCases(plain, cases)[2]!.features![2]!)).toEqual(Array.from(row).slice(0, 5));
    expect(eventLogEncoderFromJSON(JSON.parse(JSON.stringify(plain)))).toEqual(plain);
    // An encoder written before the option existed encoded caseStart.
    const { caseStart: _omitted, ...older } = JSON.parse(JSON.stringify(encoder)) as Record<string, unknown>;
    expect(eventLogEncoderFromJSON(older).caseStart).toBe(true);
    expectError(() => fitEventLogEncoder(cases, { endMarker: "a" }), "E_DUPLICATE", 'fitEventLogEncoder: options.endMarker must not be an activity of the log, got "a"');
    expectError(() => encodeEventLogCases(encoder, [{ id: "x", activities: ["a"], times: [1, 2] }]), "E_SHAPE", "encodeEventLogCases: cases[0].times must have one entry per activity (1), got length 2");
  });
});

describe.skipIf(!hasHelpdesk)(`Helpdesk event log (Tax et al. 2017; skipped when ${helpdeskDir} is absent)`, () => {
  const cases = hasHelpdesk ? readHelpdesk() : [];
  // A quick configuration (one seed, at most 40 epochs); the bench runs three seeds with up to 100 epochs.
  const quick = { lstm: { hiddenSize: 32, epochs: 40, patience: 10, batchSize: 32 }, seeds: [0] };
  // A guard, not a speed assertion: a few seconds alone, longer on a machine shared with other work.
  const LSTM_TEST_TIMEOUT_MS = 60_000;

  it("matches the published counts and checksum", () => {
    expect(createHash("sha256").update(readFileSync(helpdeskFile)).digest("hex")).toBe("1306e06414481a1debd845ea760b5ce8331d087ddc67d7f7ec300b4bea3f41b7");
    expect(cases.length).toBe(3804);
    expect(cases.reduce((n, c) => n + c.activities.length, 0)).toBe(13710);
    expect(new Set(cases.flatMap((c) => c.activities)).size).toBe(9);
  });

  it("protocol (a): the LSTM beats the best Markov chain of order 1–3 by at least 2 accuracy points", () => {
    const result = runHelpdeskProtocol(cases, "a", { ...quick, endClass: true });
    // Markov figures measured on this split (issue 6 quotes about 0.74 and 0.75).
    expect(result.markov[0]!.accuracy).toBeCloseTo(0.7416, 3);
    expect(result.bestMarkov.accuracy).toBeCloseTo(0.7523, 3);
    expect(result.lstmAccuracy).toBeGreaterThanOrEqual(result.bestMarkov.accuracy + 0.02);
    expect(result.lstmMaeDays).toBeLessThan(result.meanGapMaeDays);
  }, LSTM_TEST_TIMEOUT_MS);

  it("protocol (b) of Tax et al. 2017: above the published 0.71 and the Markov chains with the end of case a class", () => {
    // With the end class learned and predictable (never a target), 3 seeds of the bench configuration reach 0.740-0.743;
    // this quick single-seed run must clear the published LSTM (about 0.71) and the best Markov chain by 3 points.
    const result = runHelpdeskProtocol(cases, "b", { ...quick, endClass: true });
    expect(result.trainCases).toBe(2536);
    expect(result.bestMarkov.accuracy).toBeCloseTo(0.6964, 3);
    expect(result.lstmAccuracy).toBeGreaterThanOrEqual(0.73);
    expect(result.lstmAccuracy).toBeGreaterThan(result.bestMarkov.accuracy + 0.03);
  }, LSTM_TEST_TIMEOUT_MS);

  it("protocol (b) without an end class: at least 0.74, 2 points above the best Markov chain", () => {
    const result = runHelpdeskProtocol(cases, "b", { ...quick, endClass: false });
    expect(result.bestMarkov.accuracy).toBeCloseTo(0.7275, 3);
    expect(result.lstmAccuracy).toBeGreaterThanOrEqual(0.74);
    expect(result.lstmAccuracy).toBeGreaterThan(result.bestMarkov.accuracy + 0.02);
  }, LSTM_TEST_TIMEOUT_MS);
});

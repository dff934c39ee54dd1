import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  encodeEventLogCases,
  eventLogEncoderFromJSON,
  fitEventLogEncoder,
  parseHelpdeskCsv,
  splitEventLog,
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
    expectError(() => parseHelpdeskCsv(`${header}1,2,2012-13-01 00:00:00\n`), "E_BAD_INPUT", 'line 2 CompleteTimestamp must be YYYY-MM-DD HH:MM:SS, got "2012-13-01 00:00:00"');
    expectError(() => parseHelpdeskCsv(`${header}1,2,2012-01-02 00:00:00\n1,3,2012-01-01 00:00:00\n`), "E_BAD_INPUT", 'line 3 CompleteTimestamp must not be earlier than the previous event of case "1"');
    expectError(() => parseHelpdeskCsv(header), "E_EMPTY", "parseHelpdeskCsv: text must hold at least one event row, got none");
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

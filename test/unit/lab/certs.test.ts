import { describe, expect, it } from "vitest";
import { caDate, labCertSpecs } from "../../../lab/certs.js";

describe("lab certificates", () => {
  it("caDate: OpenSSL ca's YYYYMMDDHHMMSSZ, in UTC", () => {
    expect(caDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("20260102030405Z");
    expect(caDate(new Date(Date.UTC(1999, 11, 31, 23, 59, 59)))).toBe("19991231235959Z");
  });

  it("the lab's set: one expired, one within 30 days, one valid for a year, distinct serials", () => {
    const now = Date.UTC(2026, 5, 1);
    const specs = labCertSpecs(now);
    const days = (ms: number) => (ms - now) / 86_400_000;
    const byFile = Object.fromEntries(specs.map((s) => [s.file, days(s.notAfter.getTime())]));
    expect(byFile).toEqual({ "expired.pem": -5, "soon.pem": 10, "valid.pem": 365 });
    for (const s of specs) expect(s.notBefore.getTime()).toBeLessThan(now);
    expect(new Set(specs.map((s) => s.serial)).size).toBe(3);
  });
});

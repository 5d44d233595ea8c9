import { checkRegistration, checkReport, describeProblems, REFERENCE_PATTERN, type Problem, type ValidationContext } from '../../domain/validation';

const context: ValidationContext = {
  isState: (code) => ['FRA', 'ARG', 'URY', 'USA', 'CHN'].includes(code),
  today: '2026-11-28',
};

function good(): Record<string, unknown> {
  return {
    reference: 'LA/COD/2026/017',
    reportedBy: 'FRA',
    receivedOn: '2026-11-20',
    occurredIn: 'ARG',
    occurredOn: '2026-11-15',
    location: 'Buenos Aires',
    victims: [{ kind: 'diplomatic-mission', state: 'FRA', name: 'Embassy of France' }, { kind: 'representative', state: 'URY' }],
    offenderPresentIn: 'URY',
    summary: 'An attack on the premises of the embassy.',
  };
}

function problemsOf(result: ReturnType<typeof checkRegistration> | ReturnType<typeof checkReport>): Problem[] {
  if (result.ok) throw new Error('expected problems, the input was accepted');
  return result.problems;
}

const fields = (problems: Problem[]) => problems.map((problem) => problem.field);

describe('checkRegistration: a good case', () => {
  it('passes, with circulate defaulting to true', () => {
    const result = checkRegistration(good(), context);
    expect(result).toEqual({
      ok: true,
      value: {
        reference: 'LA/COD/2026/017',
        reportedBy: 'FRA',
        receivedOn: '2026-11-20',
        occurredIn: 'ARG',
        occurredOn: '2026-11-15',
        location: 'Buenos Aires',
        victims: [{ kind: 'diplomatic-mission', state: 'FRA', name: 'Embassy of France' }, { kind: 'representative', state: 'URY' }],
        offenderPresentIn: 'URY',
        summary: 'An attack on the premises of the embassy.',
        circulate: true,
      },
    });
  });

  it('keeps circulate false when the reporting State asked that its report not be circulated', () => {
    const result = checkRegistration({ ...good(), circulate: false }, context);
    expect(result.ok && result.value.circulate).toBe(false);
  });

  it('leaves out offenderPresentIn when it is not given', () => {
    const { offenderPresentIn: _omitted, ...rest } = good();
    const result = checkRegistration(rest, context);
    expect(result.ok).toBe(true);
    expect(result.ok && 'offenderPresentIn' in result.value).toBe(false);
  });

  it('accepts dates on the day itself (today is not the future)', () => {
    expect(checkRegistration({ ...good(), receivedOn: '2026-11-28', occurredOn: '2026-11-28' }, context).ok).toBe(true);
  });

  it('accepts the same date for occurrence and receipt', () => {
    expect(checkRegistration({ ...good(), receivedOn: '2026-11-15', occurredOn: '2026-11-15' }, context).ok).toBe(true);
  });

  it('trims text fields', () => {
    const result = checkRegistration({ ...good(), location: '  Buenos Aires \n' }, context);
    expect(result.ok && result.value.location).toBe('Buenos Aires');
  });

  it('accepts every kind of victim in the issue', () => {
    for (const kind of ['diplomatic-mission', 'consular-post', 'permanent-mission', 'representative', 'official', 'family-member']) {
      expect(checkRegistration({ ...good(), victims: [{ kind, state: 'FRA' }] }, context).ok).toBe(true);
    }
  });
});

describe('checkRegistration: problems, each naming its field', () => {
  it.each(['reference', 'reportedBy', 'receivedOn', 'occurredIn', 'occurredOn', 'location', 'victims', 'summary'])('names the missing required field %s', (field) => {
    const raw = good();
    delete raw[field];
    const problems = problemsOf(checkRegistration(raw, context));
    expect(fields(problems)).toEqual([field]);
  });

  it('names every missing field at once for an empty object', () => {
    const problems = problemsOf(checkRegistration({}, context));
    expect(fields(problems).sort()).toEqual(['location', 'occurredIn', 'occurredOn', 'receivedOn', 'reference', 'reportedBy', 'summary', 'victims']);
    expect(problems.find((p) => p.field === 'reference')?.message).toBe('is required');
  });

  it('refuses empty text as not a non-empty text', () => {
    const problems = problemsOf(checkRegistration({ ...good(), summary: '   ' }, context));
    expect(problems).toEqual([{ field: 'summary', message: expect.stringMatching(/non-empty/) as unknown }]);
  });

  it('refuses a number where text is expected', () => {
    expect(fields(problemsOf(checkRegistration({ ...good(), location: 12 }, context)))).toEqual(['location']);
  });

  it('names unknown State codes with their field', () => {
    const problems = problemsOf(checkRegistration({ ...good(), reportedBy: 'XXX', occurredIn: 'fra', offenderPresentIn: 'ZZZ' }, context));
    expect(fields(problems).sort()).toEqual(['occurredIn', 'offenderPresentIn', 'reportedBy']);
    expect(problems.find((p) => p.field === 'reportedBy')?.message).toMatch(/"XXX" is not the ISO 3166-1 alpha-3 code/);
  });

  it("names an unknown State in a victim as victims[1].state", () => {
    const problems = problemsOf(checkRegistration({ ...good(), victims: [{ kind: 'official', state: 'FRA' }, { kind: 'official', state: 'QQQ' }] }, context));
    expect(problems).toEqual([{ field: 'victims[1].state', message: expect.stringMatching(/"QQQ"/) as unknown }]);
  });

  it('refuses an impossible date, naming the field', () => {
    const problems = problemsOf(checkRegistration({ ...good(), occurredOn: '2026-02-30' }, context));
    expect(problems).toEqual([{ field: 'occurredOn', message: expect.stringMatching(/2026-02-30 is not a real calendar date/) as unknown }]);
  });

  it('refuses a date not written YYYY-MM-DD, naming the field', () => {
    const problems = problemsOf(checkRegistration({ ...good(), receivedOn: '20/11/2026' }, context));
    expect(problems).toEqual([{ field: 'receivedOn', message: 'must be a date written YYYY-MM-DD' }]);
  });

  it('refuses a future date, naming the field and today', () => {
    const problems = problemsOf(checkRegistration({ ...good(), receivedOn: '2026-11-29' }, context));
    expect(problems).toEqual([{ field: 'receivedOn', message: expect.stringMatching(/2026-11-29 is in the future.*2026-11-28/) as unknown }]);
  });

  it('refuses an occurrence after the report was received, on occurredOn', () => {
    const problems = problemsOf(checkRegistration({ ...good(), occurredOn: '2026-11-21', receivedOn: '2026-11-20' }, context));
    expect(problems).toEqual([{ field: 'occurredOn', message: expect.stringMatching(/2026-11-21 is after the report was received \(2026-11-20\)/) as unknown }]);
  });

  it('refuses an unknown field (a typo), naming it', () => {
    const problems = problemsOf(checkRegistration({ ...good(), ocurredIn: 'ARG' }, context));
    expect(problems).toEqual([{ field: 'ocurredIn', message: expect.stringMatching(/unknown field/) as unknown }]);
  });

  it('refuses a bad victim kind, naming victims[0].kind', () => {
    const problems = problemsOf(checkRegistration({ ...good(), victims: [{ kind: 'embassy', state: 'FRA' }] }, context));
    expect(problems).toEqual([{ field: 'victims[0].kind', message: expect.stringMatching(/"embassy" is not one of: diplomatic-mission/) as unknown }]);
  });

  it('refuses an unknown field in a victim', () => {
    const problems = problemsOf(checkRegistration({ ...good(), victims: [{ kind: 'official', state: 'FRA', rank: 'counsellor' }] }, context));
    expect(fields(problems)).toEqual(['victims[0].rank']);
  });

  it('refuses a victim that is not an object', () => {
    const problems = problemsOf(checkRegistration({ ...good(), victims: ['FRA'] }, context));
    expect(fields(problems)).toContain('victims[0]');
  });

  it.each([[[]], [undefined], ['FRA'], [{ kind: 'official', state: 'FRA' }]])('refuses victims = %j: it must be a non-empty list', (victims) => {
    const problems = problemsOf(checkRegistration({ ...good(), victims }, context));
    expect(problems).toEqual([{ field: 'victims', message: expect.stringMatching(/non-empty list/) as unknown }]);
  });

  it.each(['has spaces', '-starts-with-dash', 'LA:COD:2026', 'ÉCOLE/1', 'x'.repeat(81)])('refuses the reference %j for its characters', (reference) => {
    const problems = problemsOf(checkRegistration({ ...good(), reference }, context));
    expect(fields(problems)).toEqual(['reference']);
    expect(REFERENCE_PATTERN.test(reference)).toBe(false);
  });

  it('accepts references of letters, digits and / . _ -, up to 80 characters', () => {
    for (const reference of ['LA/COD/2026/017', 'la-2026_017.v2', 'A', 'x'.repeat(80)]) {
      expect(checkRegistration({ ...good(), reference }, context).ok).toBe(true);
    }
  });

  it('refuses circulate that is not true or false', () => {
    const problems = problemsOf(checkRegistration({ ...good(), circulate: 'no' }, context));
    expect(problems).toEqual([{ field: 'circulate', message: 'must be true or false' }]);
  });

  it.each([[null], [undefined], ['a string'], [42], [[good()]]])('refuses %j as not an object of fields', (raw) => {
    const problems = problemsOf(checkRegistration(raw, context));
    expect(problems).toEqual([{ field: '(root)', message: expect.stringMatching(/object/) as unknown }]);
  });

  it('reports several problems at once', () => {
    const raw = {
      ...good(),
      reportedBy: 'XXX',
      occurredOn: '2026-04-31',
      receivedOn: '2027-01-01',
      victims: [{ kind: 'official', state: 'FRA' }, { kind: 'nobody', state: 'YYY' }],
      extra: true,
    };
    delete (raw as Record<string, unknown>).summary;
    const problems = problemsOf(checkRegistration(raw, context));
    expect(fields(problems).sort()).toEqual(['extra', 'occurredOn', 'receivedOn', 'reportedBy', 'summary', 'victims[1].kind', 'victims[1].state']);
  });
});

describe('checkReport', () => {
  const report = { from: 'ARG', kind: 'measures', receivedOn: '2026-11-27', summary: 'Two suspects were charged.' };

  it('passes a good report with circulate defaulting to true', () => {
    expect(checkReport(report, context)).toEqual({ ok: true, value: { ...report, circulate: true } });
  });

  it('keeps circulate false and leaves out a missing summary', () => {
    const { summary: _omitted, ...rest } = report;
    const result = checkReport({ ...rest, circulate: false }, context);
    expect(result).toEqual({ ok: true, value: { from: 'ARG', kind: 'measures', receivedOn: '2026-11-27', circulate: false } });
  });

  it.each(['violation', 'measures', 'outcome', 'prevention'])('accepts the kind %s', (kind) => {
    expect(checkReport({ ...report, kind }, context).ok).toBe(true);
  });

  it('names every missing required field', () => {
    expect(fields(problemsOf(checkReport({}, context))).sort()).toEqual(['from', 'kind', 'receivedOn']);
  });

  it('refuses an unknown State, an unknown kind, an impossible date and an unknown field, all at once', () => {
    const problems = problemsOf(checkReport({ from: 'XXX', kind: 'apology', receivedOn: '2026-02-30', circulated: false }, context));
    expect(fields(problems).sort()).toEqual(['circulated', 'from', 'kind', 'receivedOn']);
  });

  it('refuses a report received in the future', () => {
    expect(problemsOf(checkReport({ ...report, receivedOn: '2026-12-01' }, context))).toEqual([
      { field: 'receivedOn', message: expect.stringMatching(/in the future/) as unknown },
    ]);
  });

  it('refuses a report that is not an object', () => {
    expect(problemsOf(checkReport(['ARG'], context))).toEqual([{ field: '(root)', message: expect.stringMatching(/object/) as unknown }]);
  });
});

describe('describeProblems', () => {
  it('joins the problems, one "field: message" a line', () => {
    expect(describeProblems([{ field: 'reportedBy', message: 'is required' }, { field: 'victims[1].state', message: '"QQQ" is unknown' }]))
      .toBe('reportedBy: is required\nvictims[1].state: "QQQ" is unknown');
  });

  it('is empty for no problems', () => {
    expect(describeProblems([])).toBe('');
  });

  it('describes what checkRegistration found, naming each field', () => {
    const text = describeProblems(problemsOf(checkRegistration({ ...good(), reportedBy: 'XXX', occurredOn: '2026-02-30' }, context)));
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toMatch(/^reportedBy: /m);
    expect(text).toMatch(/^occurredOn: /m);
  });
});

describe('null, as YAML writes an empty value', () => {
  it('leaves an optional field out, and makes a required one missing', () => {
    const result = checkRegistration({ ...good(), offenderPresentIn: null, victims: [{ kind: 'official', state: 'FRA', name: null }] }, context);
    expect(result.ok && 'offenderPresentIn' in result.value).toBe(false);
    expect(result.ok && Object.keys(result.value.victims[0] ?? {})).toEqual(['kind', 'state']);
    expect(checkReport({ from: 'ARG', kind: 'measures', receivedOn: '2026-11-27', summary: null }, context)).toEqual({ ok: true, value: { from: 'ARG', kind: 'measures', receivedOn: '2026-11-27', circulate: true } });
    expect(problemsOf(checkRegistration({ ...good(), reportedBy: null }, context))).toEqual([{ field: 'reportedBy', message: 'is required' }]);
  });

  it('an empty text is one problem, not one for each check after it', () => {
    const problems = problemsOf(checkRegistration({ ...good(), reportedBy: '', receivedOn: ' ', reference: '' }, context));
    expect([...problems].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'receivedOn', message: 'must be a non-empty text' },
      { field: 'reference', message: 'must be a non-empty text' },
      { field: 'reportedBy', message: 'must be a non-empty text' },
    ]);
  });
});

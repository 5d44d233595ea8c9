import { dateInWords } from '../../domain/un-style';
import { type Language } from '../../domain/languages';

/** Forms pinned from UN documents in each language (see the README's "UN style"). */
const FORMS: Record<Language, [string, string][]> = {
  en: [['2026-06-01', '1 June 2026'], ['2026-05-15', '15 May 2026']],
  fr: [['2026-06-01', '1er juin 2026'], ['1984-06-16', '16 juin 1984'], ['1976-12-01', '1er décembre 1976']],
  es: [['2026-06-01', '1 de junio de 2026'], ['2026-09-23', '23 de septiembre de 2026']],
  ru: [['2026-06-01', '1 июня 2026 года'], ['2026-05-15', '15 мая 2026 года']],
  zh: [['2026-06-01', '2026年6月1日'], ['2026-12-03', '2026年12月3日']],
  ar: [['2026-06-01', '1 حزيران/يونيه 2026'], ['2026-07-04', '4 تموز/يوليه 2026'], ['2026-01-15', '15 كانون الثاني/يناير 2026']],
};

describe('dates as United Nations documents write them', () => {
  const cases = Object.entries(FORMS).flatMap(([language, forms]) => forms.map(([iso, form]): [Language, string, string] => [language as Language, iso, form]));
  it.each(cases)('%s %s: %s', (language, iso, form) => {
    expect(dateInWords(iso, language)).toBe(form);
  });

  it('every language names every month, and Arabic keeps Western digits and no space around the slash', () => {
    for (const language of Object.keys(FORMS) as Language[]) {
      const months = Array.from({ length: 12 }, (_, i) => dateInWords(`2026-${String(i + 1).padStart(2, '0')}-10`, language));
      expect(new Set(months).size).toBe(12);
    }
    expect(dateInWords('2026-10-20', 'ar')).toBe('20 تشرين الأول/أكتوبر 2026');
    expect(dateInWords('2026-10-20', 'ar')).not.toMatch(/[\u0660-\u0669]| \/|\/ /);
  });

  it('a date that does not exist is refused rather than rolled over', () => {
    expect(() => dateInWords('2026-04-31', 'fr')).toThrow('"2026-04-31" is not a calendar date (YYYY-MM-DD)');
  });
});

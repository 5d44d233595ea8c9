import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_DIRECTORY_PATH, Directory, DirectoryError, loadDirectory, parseDirectory,
} from '../../config/directory';
import { LANGUAGES } from '../../domain/languages';
import { nameAtSentenceStart, nameInText, type StateEntry } from '../../domain/states';

function entry(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code,
    status: 'member',
    names: { ar: `ar-${code}`, zh: `zh-${code}`, en: `en-${code}`, fr: `fr-${code}`, ru: `ru-${code}`, es: `es-${code}` },
    namesOf: { ar: `ar-of-${code}`, zh: `zh-of-${code}`, en: `of en-${code}`, fr: `de fr-${code}`, ru: `ru-gen-${code}`, es: `de es-${code}` },
    language: 'en',
    email: `pm.${code.toLowerCase()}@missions.example.org`,
    ...overrides,
  };
}

function refusal(raw: unknown): DirectoryError {
  try {
    parseDirectory(raw, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return error as DirectoryError;
  }
  throw new Error('expected the directory to be refused');
}

describe('the shipped State directory', () => {
  const directory = loadDirectory(DEFAULT_DIRECTORY_PATH);
  const all = directory.codes().map((code) => directory.require(code));

  it('holds the 193 Member States and the 2 observer States', () => {
    expect(directory.size).toBe(195);
    expect(all.filter((state) => state.status === 'member')).toHaveLength(193);
    expect(all.filter((state) => state.status === 'observer').map((state) => state.code)).toEqual(['PSE', 'VAT']);
  });

  it('leaves out entities that are not Member or observer States', () => {
    for (const code of ['TWN', 'XKX', 'ESH', 'COK', 'NIU', 'HKG', 'PRI', 'GRL']) expect(directory.has(code)).toBe(false);
  });

  it('gives each State its working language', () => {
    expect(directory.require('FRA').language).toBe('fr');
    expect(directory.require('CHN').language).toBe('zh');
    expect(directory.require('RUS').language).toBe('ru');
    expect(directory.require('EGY').language).toBe('ar');
    expect(directory.require('ARG').language).toBe('es');
    expect(directory.require('USA').language).toBe('en');
  });

  it('uses United Nations short names', () => {
    expect(directory.require('BOL').names.en).toBe('Bolivia (Plurinational State of)');
    expect(directory.require('TUR').names.en).toBe('Türkiye');
    expect(directory.require('KOR').names.en).toBe('Republic of Korea');
    expect(directory.require('PRK').names.en).toBe("Democratic People's Republic of Korea");
    expect(directory.require('NLD').names.en).toBe('Netherlands (Kingdom of the)');
    expect(directory.require('CHN').names.zh).toBe('中国');
    expect(directory.require('FRA').names.fr).toBe('France');
  });

  it('names every State in all six languages and has a mission address for each', () => {
    for (const state of all) {
      for (const language of LANGUAGES) expect(state.names[language].trim()).not.toBe('');
      for (const language of LANGUAGES) expect(state.namesOf[language].trim()).not.toBe('');
      expect(state.email).toBe(`pm.${state.code.toLowerCase()}@missions.example.org`);
    }
  });

  it('gives the name as it stands after "of", article and case included', () => {
    const of = (code: string) => directory.require(code).namesOf;
    expect(of('FRA')).toEqual({ ar: 'لفرنسا', zh: '法国', en: 'of France', fr: 'de la France', ru: 'Франции', es: 'de Francia' });
    expect(of('CHN').ar).toBe('للصين');
    expect(of('USA').en).toBe('of the United States of America');
    expect(of('USA').fr).toBe("des États-Unis d'Amérique");
    expect(of('USA').es).toBe('de los Estados Unidos de América');
    expect(of('GBR').en).toBe('of the United Kingdom of Great Britain and Northern Ireland');
    expect(of('GBR').es).toBe('del Reino Unido de Gran Bretaña e Irlanda del Norte');
    expect(of('GBR').ru).toBe('Соединенного Королевства Великобритании и Северной Ирландии');
    // A name whose list form is bracketed reads, after "of", in its running-text form (UNTERM's).
    expect(of('NLD').en).toBe('of the Kingdom of the Netherlands');
    expect(of('NLD').fr).toBe('du Royaume des Pays-Bas');
    expect(of('IRN').en).toBe('of the Islamic Republic of Iran');
    expect(of('BOL').fr).toBe("de l'État plurinational de Bolivie");
    expect(of('VEN').es).toBe('de la República Bolivariana de Venezuela');
    expect(of('FSM').ar).toBe('لولايات ميكرونيزيا الموحدة');
    expect(of('MEX').fr).toBe('du Mexique');
    expect(of('ITA').fr).toBe("de l'Italie");
    expect(of('ISR').fr).toBe("d'Israël");
    expect(of('IRN').ru).toBe('Исламской Республики Иран');
    expect(of('PER').es).toBe('del Perú');
    expect(of('SLV').es).toBe('de El Salvador');
    expect(of('TUV').fr).toBe('des Tuvalu');
    expect(of('CHL').ru).toBe('Чили');
  });

  it('builds every "of" form from the short name, with no ungrammatical contraction', () => {
    for (const { code, names, namesOf } of all) {
      const at = `${code}: `;
      expect(at + namesOf.zh).toBe(at + names.zh);
      // The bracketed list forms are undone in running text; the rule below is for every other name.
      if (names.en.includes('(')) {
        for (const language of ['ar', 'en', 'fr', 'ru', 'es'] as const) expect(at + namesOf[language]).not.toMatch(/[()]/);
        continue;
      }
      expect(at + namesOf.en).toMatch(/^\w{3}: of (the )?/);
      expect(namesOf.en.endsWith(names.en)).toBe(true);
      expect(at + namesOf.fr).toMatch(/^\w{3}: (de la |de l'|du |des |de |d')/);
      expect(namesOf.fr.endsWith(names.fr)).toBe(true);
      // "de le", "de les", "de la" or "de" before a vowel, "de l'" before a consonant: each has its contraction or elision.
      expect(at + namesOf.fr).not.toMatch(/: (de les? |de (la )?[AEIOUYÉÈÊÎÏÔaeiouéî]|de l'[^AEIOUÉÈÊÎÔ])/);
      expect(at + namesOf.es).toMatch(/^\w{3}: (del |de la |de los |de las |de )/);
      expect(namesOf.es.endsWith(names.es)).toBe(true);
      expect(at + namesOf.es).not.toMatch(/: de el /);
      // Arabic: the preposition li-, which takes the article's place: لفرنسا, للصين (never لالصين).
      expect(at + namesOf.ar).toMatch(/: ل/);
      expect(at + namesOf.ar).not.toMatch(/: لـ?ال/);
      expect(namesOf.ar.endsWith(names.ar.replace(/^ال/, 'ل'))).toBe(true);
    }
  });

  it('writes the bracketed list forms in running text in their full form, in each language (UNTERM)', () => {
    const inText = (code: string) => Object.fromEntries(LANGUAGES.map((language) => [language, nameInText(directory.require(code), language)]));
    expect(inText('IRN')).toEqual({
      en: 'the Islamic Republic of Iran', fr: "la République islamique d'Iran", es: 'la República Islámica del Irán',
      ru: 'Исламская Республика Иран', zh: '伊朗伊斯兰共和国', ar: 'جمهورية إيران الإسلامية',
    });
    expect(inText('BOL')).toEqual({
      en: 'the Plurinational State of Bolivia', fr: "l'État plurinational de Bolivie", es: 'el Estado Plurinacional de Bolivia',
      ru: 'Многонациональное Государство Боливия', zh: '多民族玻利维亚国', ar: 'دولة بوليفيا المتعددة القوميات',
    });
    expect(inText('NLD')).toEqual({
      en: 'the Kingdom of the Netherlands', fr: 'le Royaume des Pays-Bas', es: 'el Reino de los Países Bajos',
      ru: 'Королевство Нидерландов', zh: '荷兰王国', ar: 'مملكة هولندا',
    });
    expect(inText('VEN')).toEqual({
      en: 'the Bolivarian Republic of Venezuela', fr: 'la République bolivarienne du Venezuela', es: 'la República Bolivariana de Venezuela',
      ru: 'Боливарианская Республика Венесуэла', zh: '委内瑞拉玻利瓦尔共和国', ar: 'جمهورية فنزويلا البوليفارية',
    });
    expect(inText('FSM')).toEqual({
      en: 'the Federated States of Micronesia', fr: 'les États fédérés de Micronésie', es: 'los Estados Federados de Micronesia',
      ru: 'Федеративные Штаты Микронезии', zh: '密克罗尼西亚联邦', ar: 'ولايات ميكرونيزيا الموحدة',
    });
  });

  it('gives an ordinary name its article in running text where the language wants one', () => {
    const inText = (code: string, language: (typeof LANGUAGES)[number]) => nameInText(directory.require(code), language);
    expect(inText('SDN', 'en')).toBe('the Sudan');
    expect(inText('SDN', 'fr')).toBe('le Soudan');
    expect(inText('SDN', 'es')).toBe('el Sudán');
    expect(inText('SDN', 'ru')).toBe('Судан');
    expect(inText('SDN', 'ar')).toBe('السودان');
    expect(inText('PHL', 'en')).toBe('the Philippines');
    expect(inText('PHL', 'fr')).toBe('les Philippines');
    expect(inText('PHL', 'es')).toBe('Filipinas');
    expect(inText('GMB', 'en')).toBe('the Gambia');
    expect(inText('BHS', 'es')).toBe('las Bahamas');
    expect(inText('FRA', 'fr')).toBe('la France');
    expect(inText('ITA', 'fr')).toBe("l'Italie");
    expect(inText('ISR', 'fr')).toBe('Israël');
    expect(inText('JPN', 'en')).toBe('Japan');
    expect(inText('JPN', 'es')).toBe('el Japón');
    expect(inText('SLV', 'es')).toBe('El Salvador');
    expect(inText('CHN', 'zh')).toBe('中国');
    // Opening a sentence, the article takes the capital.
    expect(nameAtSentenceStart(directory.require('IRN'), 'en')).toBe('The Islamic Republic of Iran');
    expect(nameAtSentenceStart(directory.require('BOL'), 'fr')).toBe("L'État plurinational de Bolivie");
    expect(nameAtSentenceStart(directory.require('JPN'), 'en')).toBe('Japan');
  });

  it('has a running-text form for every State in every language, with no bracket, that reads after "of" as its "of" form', () => {
    for (const state of all) {
      for (const language of LANGUAGES) {
        const running = nameInText(state, language);
        expect(`${state.code} ${language}: ${running}`).not.toMatch(/[()（）]|undefined/);
      }
      expect(`${state.code}: of ${nameInText(state, 'en')}`).toBe(`${state.code}: ${state.namesOf.en}`);
    }
  });

  it('lists codes in order', () => {
    const codes = directory.codes();
    expect(codes).toEqual([...codes].sort());
    expect(codes[0]).toBe('AFG');
  });
});

describe('Directory', () => {
  const directory = new Directory([entry('FRA'), entry('ARG')] as unknown as StateEntry[]);

  it('looks States up by code', () => {
    expect(directory.get('FRA')?.names.en).toBe('en-FRA');
    expect(directory.get('XXX')).toBeUndefined();
    expect(directory.has('ARG')).toBe(true);
    expect(directory.codes()).toEqual(['ARG', 'FRA']);
    expect(directory.size).toBe(2);
  });

  it('names the unknown code when a State is required', () => {
    expect(() => directory.require('ZZZ')).toThrow(DirectoryError);
    expect(() => directory.require('ZZZ')).toThrow(/ZZZ/);
  });
});

describe('parseDirectory', () => {
  it('accepts well-formed entries', () => {
    expect(parseDirectory([entry('FRA'), entry('PSE', { status: 'observer', language: 'ar' })], 'test.json').size).toBe(2);
  });

  it('refuses anything but an array', () => {
    const error = refusal({ FRA: entry('FRA') });
    expect(error.name).toBe('DirectoryError');
    expect(error.message).toMatch(/^test\.json: .*must be an array/);
  });

  it('refuses an empty directory', () => {
    expect(refusal([]).message).toMatch(/empty/);
  });

  it('refuses duplicate codes, naming both entries', () => {
    expect(refusal([entry('FRA'), entry('DEU'), entry('FRA')]).message).toBe('test.json: entry 2 (FRA): code FRA is already used by entry 0');
  });

  it('refuses a malformed code', () => {
    expect(refusal([entry('fr')]).message).toMatch(/entry 0 \(fr\): code must be three capital letters/);
  });

  it('refuses a missing name, naming the language', () => {
    const broken = entry('FRA');
    delete (broken.names as Record<string, string>).ru;
    expect(refusal([entry('DEU'), broken]).message).toBe('test.json: entry 1 (FRA): names.ru is missing');
  });

  it('refuses an empty name', () => {
    const broken = entry('FRA');
    (broken.names as Record<string, string>).ar = '  ';
    expect(refusal([broken]).message).toMatch(/entry 0 \(FRA\): names\.ar must be a non-empty string/);
  });

  it('refuses a missing or malformed set of "of" names, naming the language', () => {
    const missing = entry('FRA');
    delete missing.namesOf;
    expect(refusal([missing]).message).toBe('test.json: entry 0 (FRA): namesOf is missing');

    const partial = entry('FRA');
    delete (partial.namesOf as Record<string, string>).es;
    (partial.namesOf as Record<string, string>).fr = '';
    (partial.namesOf as Record<string, string>).de = 'von Frankreich';
    expect(refusal([entry('DEU'), partial]).problems).toEqual([
      'test.json: entry 1 (FRA): namesOf.fr must be a non-empty string',
      'test.json: entry 1 (FRA): namesOf.es is missing',
      'test.json: entry 1 (FRA): namesOf.de is not an official language (ar, zh, en, fr, ru, es)',
    ]);

    expect(refusal([entry('FRA', { namesOf: 'de la France' })]).message).toBe(
      'test.json: entry 0 (FRA): namesOf must be an object of names by language, not string "de la France"',
    );
  });

  it('keeps only the six languages of the "of" names', () => {
    const directory = parseDirectory([entry('FRA')], 'test.json');
    expect(directory.require('FRA').namesOf).toEqual({
      ar: 'ar-of-FRA', zh: 'zh-of-FRA', en: 'of en-FRA', fr: 'de fr-FRA', ru: 'ru-gen-FRA', es: 'de es-FRA',
    });
    expect(Object.isFrozen(directory.require('FRA').namesOf)).toBe(true);
  });

  it('refuses a bracketed list form with no running-text form, naming the field to give', () => {
    const bracketed = entry('IRN', { names: { ...(entry('IRN').names as Record<string, string>), ru: 'Иран (Исламская Республика)' } });
    expect(refusal([bracketed]).message).toBe(
      'test.json: entry 0 (IRN): names.ru "Иран (Исламская Республика)" is a bracketed list form; give its running-text form as namesInText.ru',
    );
    const given = parseDirectory([{ ...bracketed, namesInText: { ru: 'Исламская Республика Иран' } }], 'test.json').require('IRN');
    expect(nameInText(given, 'ru')).toBe('Исламская Республика Иран');
    expect(Object.isFrozen(given.namesInText)).toBe(true);
  });

  it('refuses an "of" form the running-text form cannot be read from, and a running-text form that keeps a bracket', () => {
    const odd = entry('FRA', { namesOf: { ...(entry('FRA').namesOf as Record<string, string>), fr: 'pour fr-FRA' } });
    expect(refusal([odd]).message).toBe(
      'test.json: entry 0 (FRA): namesOf.fr "pour fr-FRA" does not start with a preposition the running-text form can be read from; give namesInText.fr',
    );
    expect(parseDirectory([{ ...odd, namesInText: { fr: 'la fr-FRA' } }], 'test.json').require('FRA').namesInText).toEqual({ fr: 'la fr-FRA' });
    expect(refusal([entry('FRA', { namesInText: { en: 'France (Republic of)' } })]).message).toBe(
      'test.json: entry 0 (FRA): the running-text form "France (Republic of)" (en) keeps a list form\'s bracket; give namesInText.en',
    );
    expect(refusal([entry('FRA', { namesInText: { de: 'Frankreich' } })]).message).toBe('test.json: entry 0 (FRA): namesInText.de is not an official language (ar, zh, en, fr, ru, es)');
    expect(refusal([entry('FRA', { namesInText: 'la France' })]).message).toBe('test.json: entry 0 (FRA): namesInText must be an object of names by language, not string "la France"');
  });

  it('refuses a language that is not an official one', () => {
    expect(refusal([entry('DEU', { language: 'de' })]).message).toMatch(/entry 0 \(DEU\): language must be one of ar, zh, en, fr, ru, es, not "de"/);
  });

  it('refuses a bad status', () => {
    expect(refusal([entry('DEU', { status: 'candidate' })]).message).toMatch(/entry 0 \(DEU\): status must be one of member, observer/);
  });

  it.each(['pm.deu.missions.example.org', 'pm deu@missions.example.org', 'pm@localhost', 'pm@@example.org', 'pm@example.'])(
    'refuses the e-mail address %j',
    (email) => {
      expect(refusal([entry('DEU', { email })]).message).toMatch(/entry 0 \(DEU\): email must be an e-mail address/);
    },
  );

  it('refuses a missing field and a field it does not know', () => {
    const broken: Record<string, unknown> = { ...entry('DEU'), langauge: 'en' };
    delete broken.email;
    const message = refusal([broken]).message;
    expect(message).toMatch(/entry 0 \(DEU\): email is missing/);
    expect(message).toMatch(/entry 0 \(DEU\): langauge is not a known field/);
  });

  it('refuses an entry that is not an object', () => {
    expect(refusal([entry('DEU'), 'FRA']).message).toBe('test.json: entry 1 (?): must be an object, not string "FRA"');
  });

  it('reports every problem, up to a limit', () => {
    const error = refusal(Array.from({ length: 12 }, (_, index) => entry(`A${String.fromCharCode(65 + index)}A`, { language: 'xx' })));
    expect(error.problems).toHaveLength(12);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/entry 0 \(AAA\): language/);
    expect(lines[9]).toMatch(/entry 9 \(AJA\): language/);
    expect(lines[10]).toMatch(/2 more problems/);
  });
});

describe('loadDirectory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'directory-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a YAML directory', () => {
    const file = path.join(dir, 'states.yaml');
    writeFileSync(file, [
      '- code: NOR',
      '  status: member',
      '  names: { ar: النرويج, zh: 挪威, en: Norway, fr: Norvège, ru: Норвегия, es: Noruega }',
      '  namesOf: { ar: للنرويج, zh: 挪威, en: of Norway, fr: de la Norvège, ru: Норвегии, es: de Noruega }',
      '  language: en',
      '  email: pm.nor@missions.example.org',
      '',
    ].join('\n'));
    const directory = loadDirectory(file);
    expect(directory.codes()).toEqual(['NOR']);
    expect(directory.require('NOR').names.fr).toBe('Norvège');
    expect(directory.require('NOR').namesOf.fr).toBe('de la Norvège');
  });

  it('reads a JSON directory and names the file in its problems', () => {
    const file = path.join(dir, 'states.json');
    writeFileSync(file, JSON.stringify([entry('FRA', { language: 'de' })]));
    expect(() => loadDirectory(file)).toThrow(`${file}: entry 0 (FRA): language`);
  });

  it('names a missing file', () => {
    const file = path.join(dir, 'absent.json');
    expect(() => loadDirectory(file)).toThrow(DirectoryError);
    expect(() => loadDirectory(file)).toThrow(`${file}: cannot read`);
  });

  it('names an unparsable file', () => {
    const json = path.join(dir, 'broken.json');
    writeFileSync(json, '[{"code": "FRA",');
    expect(() => loadDirectory(json)).toThrow(`${json}: not valid JSON`);
    const yaml = path.join(dir, 'broken.yml');
    writeFileSync(yaml, '- code: FRA\n  names: [unclosed\n');
    expect(() => loadDirectory(yaml)).toThrow(`${yaml}: not valid YAML`);
  });

  it('refuses other file types', () => {
    expect(() => loadDirectory(path.join(dir, 'states.csv'))).toThrow(/\.json, \.yaml or \.yml/);
  });
});

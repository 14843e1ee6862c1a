/** The language name models are told to write in. */
export function languageName(language: 'de' | 'en'): string {
  return language === 'de' ? 'German (Sie-form)' : 'English';
}

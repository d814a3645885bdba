/**
 * Khmer letters, signs and symbols: the blocks of the Khmer faces' unicode-range (the web app's
 * styles.css, the public pages' site.css.ts), less the joiners and the dotted circle, which other
 * scripts use too. A text with one of them is drawn in the Khmer face; the public pages and the web
 * app both wait for that face before drawing such a text, so that it never changes width on screen.
 */
const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/;

export const hasKhmer = (text: string): boolean => KHMER.test(text);

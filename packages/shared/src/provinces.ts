import { z } from "zod";
import type { Language } from "./i18n/translate.ts";

/**
 * Cambodia's 24 provinces and the capital municipality (Phnom Penh), by their ISO 3166-2:KH
 * codes, with their names in Khmer and English. Names are proper nouns, kept here rather than in
 * the catalogs so the server, the web app and the charts share one list.
 */
export const PROVINCES = [
  { code: "KH-12", en: "Phnom Penh", km: "ភ្នំពេញ" },
  { code: "KH-1", en: "Banteay Meanchey", km: "បន្ទាយមានជ័យ" },
  { code: "KH-2", en: "Battambang", km: "បាត់ដំបង" },
  { code: "KH-3", en: "Kampong Cham", km: "កំពង់ចាម" },
  { code: "KH-4", en: "Kampong Chhnang", km: "កំពង់ឆ្នាំង" },
  { code: "KH-5", en: "Kampong Speu", km: "កំពង់ស្ពឺ" },
  { code: "KH-6", en: "Kampong Thom", km: "កំពង់ធំ" },
  { code: "KH-7", en: "Kampot", km: "កំពត" },
  { code: "KH-8", en: "Kandal", km: "កណ្ដាល" },
  { code: "KH-23", en: "Kep", km: "កែប" },
  { code: "KH-9", en: "Koh Kong", km: "កោះកុង" },
  { code: "KH-10", en: "Kratie", km: "ក្រចេះ" },
  { code: "KH-11", en: "Mondulkiri", km: "មណ្ឌលគិរី" },
  { code: "KH-22", en: "Oddar Meanchey", km: "ឧត្ដរមានជ័យ" },
  { code: "KH-24", en: "Pailin", km: "ប៉ៃលិន" },
  { code: "KH-18", en: "Preah Sihanouk", km: "ព្រះសីហនុ" },
  { code: "KH-13", en: "Preah Vihear", km: "ព្រះវិហារ" },
  { code: "KH-14", en: "Prey Veng", km: "ព្រៃវែង" },
  { code: "KH-15", en: "Pursat", km: "ពោធិ៍សាត់" },
  { code: "KH-16", en: "Ratanakiri", km: "រតនគិរី" },
  { code: "KH-17", en: "Siem Reap", km: "សៀមរាប" },
  { code: "KH-19", en: "Stung Treng", km: "ស្ទឹងត្រែង" },
  { code: "KH-20", en: "Svay Rieng", km: "ស្វាយរៀង" },
  { code: "KH-21", en: "Takeo", km: "តាកែវ" },
  { code: "KH-25", en: "Tbong Khmum", km: "ត្បូងឃ្មុំ" },
] as const;

export type ProvinceCode = (typeof PROVINCES)[number]["code"];

const CODES = PROVINCES.map((p) => p.code) as [ProvinceCode, ...ProvinceCode[]];
export const ProvinceCode = z.enum(CODES);

/** A province's name in the language, or the code itself for an unknown code. */
export function provinceName(code: string, lang: Language): string {
  const province = PROVINCES.find((p) => p.code === code);
  return province ? province[lang] : code;
}

/** Provinces in the order a person looks for them in: Khmer alphabetical order in Khmer, English in English. */
export function provincesSorted(lang: Language) {
  return [...PROVINCES].sort((a, b) => a[lang].localeCompare(b[lang], lang === "km" ? "km" : "en"));
}

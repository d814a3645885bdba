import type { OrganisationRef } from "@samakki/shared/common";
import type { Language } from "@samakki/shared/i18n/index";
import { localName, secondNameOf } from "@samakki/shared/names";
import type { OrganisationTable } from "../../db/tables/organisation.ts";

/** The columns of an organisation that another record's answer shows it by (OrganisationRef). */
export type OrganisationRefRow = Pick<OrganisationTable, "name" | "short_name" | "second_name" | "second_name_language">;

/** An organisation as a ballot, a letter, a paper sheet, a contribution or an audit event shows it: with its second name. */
export function organisationRef(id: string, row: OrganisationRefRow): OrganisationRef {
  return { id, name: row.name, shortName: row.short_name, secondName: secondNameOf(row.second_name, row.second_name_language) };
}

/** An organisation's name for a reader of `lang` (an email, a notification): its second name when it is in that language. */
export function localOrganisationName(
  row: Pick<OrganisationRefRow, "name" | "second_name" | "second_name_language">,
  lang: Language,
): string {
  return localName({ name: row.name, secondName: secondNameOf(row.second_name, row.second_name_language) }, lang);
}

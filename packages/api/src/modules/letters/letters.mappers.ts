import type { Letter, Target, TargetRef } from "@samakki/shared/letters";
import { isoTime } from "../../lib/time.ts";
import { organisationRef } from "../organisations/organisation-ref.ts";
import type { LetterRow } from "./letters.repository.ts";

interface TargetColumns {
  id: string;
  name_km: string;
  name_en: string;
  role: string;
  party: string;
  province: string | null;
  constituency: string;
  email: string;
  phone: string;
  fax: string;
  postal_address: string;
  archived_at: Date | null;
  updated_at: Date;
}

export function toTarget(row: TargetColumns): Target {
  return {
    id: row.id,
    nameKm: row.name_km,
    nameEn: row.name_en,
    role: row.role,
    party: row.party,
    province: row.province,
    constituency: row.constituency,
    email: row.email,
    phone: row.phone,
    fax: row.fax,
    postalAddress: row.postal_address,
    archived: row.archived_at !== null,
    updatedAt: isoTime(row.updated_at),
  };
}

export function toTargetRef(row: {
  id: string;
  name_km: string;
  name_en: string;
  party: string;
  province: string | null;
  archived_at: Date | null;
}): TargetRef {
  return {
    id: row.id,
    nameKm: row.name_km,
    nameEn: row.name_en,
    party: row.party,
    province: row.province,
    archived: row.archived_at !== null,
  };
}

export function toLetter(row: LetterRow, canEdit: boolean): Letter {
  return {
    id: row.id,
    actionId: row.action_id,
    target: toTargetRef({ ...row, id: row.target_id }),
    organisation: organisationRef(row.organisation_id, {
      name: row.organisation_name,
      short_name: row.organisation_short_name,
      second_name: row.organisation_second_name,
      second_name_language: row.organisation_second_name_language,
    }),
    sentOn: row.sent_on,
    channel: row.channel,
    deliveryConfirmed: row.delivery_confirmed,
    reply:
      row.received_on !== null && row.stance !== null && row.reply_created_at !== null
        ? {
            receivedOn: row.received_on,
            summary: row.summary ?? "",
            stance: row.stance,
            scanReference: row.scan_reference ?? "",
            createdAt: isoTime(row.reply_created_at),
          }
        : null,
    canEdit,
    createdAt: isoTime(row.created_at),
  };
}

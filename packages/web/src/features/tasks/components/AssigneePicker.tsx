import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SelectField } from "../../../components/Field.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { membersQuery, organisationPeopleQuery } from "../api/tasks.ts";
import { orgName } from "./shared.tsx";

/** Pick an active member organisation, then optionally one of its people (loaded when the organisation is chosen). */
export function AssigneePicker({
  coalitionId,
  names,
  initialOrganisationId = "",
  initialPersonId = "",
  errors,
}: {
  coalitionId: string;
  names: { organisation: string; person: string };
  initialOrganisationId?: string;
  initialPersonId?: string;
  errors: Record<string, string>;
}) {
  const t = useT();
  const members = useQuery(membersQuery(coalitionId));
  const [organisationId, setOrganisationId] = useState(initialOrganisationId);
  const people = useQuery({ ...organisationPeopleQuery(organisationId), enabled: organisationId !== "" });
  const active = (members.data ?? []).filter((m) => m.status === "active" || m.organisation.id === initialOrganisationId);
  return (
    <div className="field-pair">
      <SelectField
        label={t("tasks.assigneeOrganisation")}
        name={names.organisation}
        value={organisationId}
        onChange={(e) => setOrganisationId(e.target.value)}
        error={errors[names.organisation]}
      >
        <option value="">{t("tasks.nobody")}</option>
        {active.map((m) => (
          <option key={m.organisation.id} value={m.organisation.id}>
            {orgName(m.organisation)}
          </option>
        ))}
      </SelectField>
      <SelectField
        key={organisationId}
        label={t("tasks.assigneePerson")}
        name={names.person}
        defaultValue={organisationId === initialOrganisationId ? initialPersonId : ""}
        disabled={organisationId === ""}
        optionalLabel={t("common.optional")}
        error={errors[names.person]}
        aria-busy={people.isFetching || undefined}
      >
        <option value="">{t("tasks.noPerson")}</option>
        {(people.data ?? []).map((p) => (
          <option key={p.personId} value={p.personId}>
            {p.displayName}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

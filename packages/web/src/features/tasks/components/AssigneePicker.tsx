import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ComboboxField } from "../../../components/Combobox.tsx";
import { useT } from "../../../lib/i18n.tsx";
import { useOrganisationName } from "../../../lib/local-name.ts";
import { membersQuery, organisationPeopleQuery } from "../api/tasks.ts";

/**
 * Pick an active member organisation, then optionally one of its people (loaded when the organisation
 * is chosen), each in a searchable combobox: a coalition can have hundreds of organisations.
 */
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
  const organisationName = useOrganisationName();
  const t = useT();
  const members = useQuery(membersQuery(coalitionId));
  const [organisationId, setOrganisationId] = useState(initialOrganisationId);
  const people = useQuery({ ...organisationPeopleQuery(organisationId), enabled: organisationId !== "" });
  const active = (members.data ?? []).filter((m) => m.status === "active" || m.organisation.id === initialOrganisationId);
  return (
    <div className="field-pair">
      <ComboboxField
        label={t("tasks.assigneeOrganisation")}
        name={names.organisation}
        value={organisationId}
        onChange={setOrganisationId}
        error={errors[names.organisation]}
        busy={members.isPending}
        options={[
          { value: "", label: t("tasks.nobody") },
          ...active.map((m) => ({ value: m.organisation.id, label: organisationName.full(m.organisation) })),
        ]}
      />
      <ComboboxField
        key={organisationId}
        label={t("tasks.assigneePerson")}
        name={names.person}
        defaultValue={organisationId === initialOrganisationId ? initialPersonId : ""}
        disabled={organisationId === ""}
        optionalLabel={t("common.optional")}
        error={errors[names.person]}
        busy={people.isFetching}
        options={[
          { value: "", label: t("tasks.noPerson") },
          ...(people.data ?? []).map((p) => ({ value: p.personId, label: p.displayName })),
        ]}
      />
    </div>
  );
}

// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api } from "../../lib/api-client.ts";
import { mockApi, problem, renderApp } from "../../test/render.tsx";
import { useConfirm } from "../ConfirmDialog.tsx";
import { InvitationList } from "../InvitationList.tsx";

const en = (key: string) => translate("en", key);
const path = "/api/invitations-under-test";
const Invitation = z.object({ id: z.string(), email: z.string() });

/** Pending invitations as the members and organisation pages have them: a query, a revoking mutation, a confirmation. */
function Pending() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: ["pending"], queryFn: () => api.get(path, z.array(Invitation)), retry: false });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`${path}/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["pending"] }),
  });
  const [dialog, confirm] = useConfirm();
  return (
    <>
      {dialog}
      <InvitationList
        query={query}
        empty="No one invited"
        testId="pending"
        title={(inv) => inv.email}
        meta={(inv) => <span>invited as {inv.id}</span>}
        confirmRevoke={(inv) =>
          confirm({ title: `Revoke ${inv.email}?`, consequence: "The link stops working.", confirmLabel: "Revoke it" })
        }
        revoke={revoke}
      />
    </>
  );
}

const two = [
  { id: "i1", email: "dara@example.org" },
  { id: "i2", email: "sophea@example.org" },
];

describe("InvitationList", () => {
  it("lists each invitation with its title, its line and a Revoke button", async () => {
    mockApi({ [`GET ${path}`]: { body: two } });
    await renderApp(<Pending />);
    const list = await screen.findByTestId("pending");
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((row) => row.querySelector(".row-title")?.textContent)).toEqual(["dara@example.org", "sophea@example.org"]);
    expect(rows[1]?.querySelector(".row-meta")?.textContent).toBe("invited as i2");
    expect(within(list).getAllByRole("button", { name: en("common.revoke") })).toHaveLength(2);
  });

  it("shows the empty text when there is none", async () => {
    mockApi({ [`GET ${path}`]: { body: [] } });
    await renderApp(<Pending />);
    expect((await screen.findByText("No one invited")).className).toBe("muted");
    expect(screen.queryByTestId("pending")).toBeNull();
  });

  it("asks first, revokes only that invitation once confirmed, and sends nothing when cancelled", async () => {
    let revoked = false;
    const api = mockApi({
      [`GET ${path}`]: () => ({ body: revoked ? two.slice(1) : two }),
      [`DELETE ${path}/i1`]: () => {
        revoked = true;
        return { status: 204 };
      },
    });
    const { user } = await renderApp(<Pending />);
    const list = await screen.findByTestId("pending");
    const [first] = within(list).getAllByRole("button", { name: en("common.revoke") });
    if (!first) throw new Error("no Revoke button");

    await user.click(first);
    await user.click(
      within(await screen.findByRole("dialog", { name: "Revoke dara@example.org?" })).getByRole("button", { name: en("common.cancel") }),
    );
    expect(api.calls("DELETE")).toEqual([]);

    await user.click(first);
    await user.click(
      within(await screen.findByRole("dialog", { name: "Revoke dara@example.org?" })).getByRole("button", { name: "Revoke it" }),
    );
    await waitFor(() => expect(within(screen.getByTestId("pending")).getAllByRole("listitem")).toHaveLength(1));
    expect(api.calls("DELETE")).toEqual([{ method: "DELETE", path: `${path}/i1`, body: {} }]);
  });

  it("shows why a revocation failed under the list", async () => {
    mockApi({ [`GET ${path}`]: { body: two }, [`DELETE ${path}/i2`]: problem(409, "conflict", "Already accepted") });
    const { user } = await renderApp(<Pending />);
    const list = await screen.findByTestId("pending");
    await user.click(within(list).getAllByRole("button", { name: en("common.revoke") })[1] as HTMLElement);
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Revoke it" }));
    expect((await screen.findByRole("alert")).textContent).toContain(translate("en", "errors.conflict.title"));
    expect(within(screen.getByTestId("pending")).getAllByRole("listitem")).toHaveLength(2);
  });
});

// @vitest-environment happy-dom
import { translate } from "@samakki/shared/i18n/index";
import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, me } from "../../test/fixtures.ts";
import { renderApp } from "../../test/render.tsx";
import { Layout } from "../Layout.tsx";

const en = (key: string, values?: Record<string, string>) => translate("en", key, values);

describe("the account menu", () => {
  const open = async () => {
    const rendered = await renderApp(
      <Layout me={me()} coalition={coalition} bell={null} onSignOut={() => {}} onLanguageChange={() => {}}>
        <p>The page under the menu</p>
      </Layout>,
    );
    const button = screen.getByLabelText(en("nav.accountMenuOf", { initials: "S", name: "Sokha" }));
    const menu = button.closest("details");
    if (!menu) throw new Error("no menu");
    await rendered.user.click(button);
    expect(menu.open).toBe(true);
    return { ...rendered, button, menu };
  };

  it("closes when the person taps or clicks outside it, and stays open for a tap inside it", async () => {
    const { user, menu } = await open();
    // Inside the panel (the person's name): still open.
    await user.click(screen.getByText("sokha@example.org"));
    expect(menu.open).toBe(true);
    await user.click(screen.getByText("The page under the menu"));
    expect(menu.open).toBe(false);
  });

  it("closes on a touch outside it (a phone sends pointer events, not always a click)", async () => {
    const { menu } = await open();
    fireEvent.pointerDown(screen.getByText("The page under the menu"), { pointerType: "touch" });
    expect(menu.open).toBe(false);
  });

  it("closes on Escape and gives the focus back to its button", async () => {
    const { user, menu, button } = await open();
    screen.getByRole("link", { name: en("nav.account") }).focus();
    await user.keyboard("{Escape}");
    expect(menu.open).toBe(false);
    expect(document.activeElement).toBe(button);
  });

  it("leaves an Escape pressed elsewhere to its control: the focus stays in the text box", async () => {
    const { user, menu } = await open();
    const box = document.createElement("textarea");
    document.body.append(box);
    box.focus();
    await user.keyboard("{Escape}");
    expect(document.activeElement).toBe(box);
    expect(menu.open).toBe(true);
    box.remove();
  });

  it("names the reader's organisation in the reader's language", async () => {
    const person = me();
    const organisations = person.organisations.map((o) => ({ ...o, secondName: { language: "km" as const, name: "មិត្តមេគង្គ" } }));
    await renderApp(
      <Layout me={{ ...person, organisations }} coalition={coalition} bell={null} onSignOut={() => {}} onLanguageChange={() => {}}>
        <p />
      </Layout>,
      { lang: "km" },
    );
    const link = screen.getByRole("link", { name: "មិត្តមេគង្គ", hidden: true });
    expect(link.getAttribute("href")).toContain(organisations[0]?.id ?? "none");
    expect(screen.queryByRole("link", { name: "Mekong Friends", hidden: true })).toBeNull();
  });

  it("names the coalition in the reader's language, in the header", async () => {
    const river = { ...coalition, secondName: { language: "km" as const, name: "សម្ព័ន្ធទន្លេ" } };
    const person = me();
    await renderApp(
      <Layout me={{ ...person, coalitions: [river] }} coalition={river} bell={null} onSignOut={() => {}} onLanguageChange={() => {}}>
        <p />
      </Layout>,
      { lang: "km" },
    );
    expect(screen.getByText("សម្ព័ន្ធទន្លេ")).toBeTruthy();
    expect(screen.queryByText("River Coalition")).toBeNull();
  });
});

// @vitest-environment happy-dom
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { coalition, me } from "../../test/fixtures.ts";
import { renderApp } from "../../test/render.tsx";
import { Layout } from "../Layout.tsx";

describe("the account menu", () => {
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

import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestContext } from "../../../../test/app.ts";
import { unique } from "../../../../test/factories/index.ts";
import { snapshotCounts } from "../../../../test/permissions.ts";
import { signupSection } from "../signups.section.tsx";
import { type CountsBody, linksFor, pendingAt, peopleAt, postForm, type Setup, setUp } from "./helpers.ts";

let ctx: TestContext;
let s: Setup;

beforeAll(async () => {
  ctx = await buildTestApp({ trustProxy: true });
  s = await setUp(ctx);
});

const signupRows = (activityId: string) => ctx.db.selectFrom("signup").where("activity_id", "=", activityId).selectAll().execute();

describe("the public sign-up form", () => {
  it("lists the upcoming activities and march stages as checkboxes, in Khmer when asked", async () => {
    const res = await ctx.anonymous().get(`${s.joinPath}?lang=km`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain('<html lang="km">');
    expect(res.text).toContain("ចុះឈ្មោះចូលរួម");
    for (const position of [1, 2, 3]) expect(res.text).toContain(`value="${s.march.id}:${position}"`);
    expect(res.text).toContain(`value="${s.meeting.id}:0"`);
    expect(res.text).toContain('method="post"');
    expect(res.text).not.toContain("<script");
  });

  it("answers 404 for a members-only campaign, the same page as an unknown slug", async () => {
    const hidden = await setUp(ctx, "members");
    const res = await ctx.anonymous().get(`${hidden.joinPath}?lang=en`);
    const unknown = await ctx.anonymous().get(`${hidden.joinPath.replace(/campaigns\/[^/]+/, "campaigns/no-such-campaign")}?lang=en`);
    expect(res.status).toBe(404);
    expect(unknown.status).toBe(404);
    const strip = (t: string) => t.replace(/href="[^"]*"/g, "");
    expect(strip(res.text)).toBe(strip(unknown.text));
    const post = await postForm(ctx.anonymous(), hidden.joinPath, { name: "A", email: "a@example.org", choices: [`${hidden.march.id}:1`] });
    expect(post.status).toBe(404);
    expect(await ctx.db.selectFrom("signup").where("activity_id", "=", hidden.march.id).selectAll().execute()).toHaveLength(0);
  });

  it("signs up for two stages, emails a confirmation in the person's language, and confirms once by POST", async () => {
    const email = "Sokha.Walker@Example.org";
    const res = await postForm(ctx.anonymous(), `${s.joinPath}?lang=km`, {
      name: "Sokha",
      email,
      phone: "",
      guests: "2",
      choices: [`${s.march.id}:1`, `${s.march.id}:3`],
    });
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get("location")).toBe(`${s.joinPath}?lang=km&done=email`);

    const rows = await signupRows(s.march.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.email).toBe("sokha.walker@example.org");
    expect(rows[0]?.status).toBe("pending");
    const links = await linksFor(ctx, "sokha.walker@example.org");
    expect(links.language).toBe("km");
    expect(links.subject).toContain("បញ្ជាក់");
    // Dates and numbers in Khmer digits, as everywhere in Khmer: no Latin digit outside the links.
    // (The fixtures' own names, "Campaign-6234-…", carry digits: proper names are left as written.)
    const prose = links.text.replace(/https?:\/\/\S+/g, "").replace(/(Campaign|Coalition)-[\w-]+/g, "");
    expect(prose.match(/.{0,30}[0-9].{0,30}/g) ?? []).toEqual([]);

    const counts = await s.w.clients.coordinator.get<CountsBody>(`${s.activityBase}/${s.march.id}/signup-counts`);
    expect(counts.status).toBe(200);
    expect(pendingAt(counts.body, 1)).toBe(3);
    expect(peopleAt(counts.body, 1)).toBe(0);

    // GET only shows a button: a mail scanner opening the link confirms nothing.
    const page = await ctx.anonymous().get(`/signups/confirm/${links.confirm}?lang=km`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain('method="post"');
    expect((await signupRows(s.march.id))[0]?.status).toBe("pending");

    const confirmed = await ctx.anonymous().post(`/signups/confirm/${links.confirm}?lang=km`);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`${s.joinPath}?lang=km&done=confirmed`);
    const after = await s.w.clients.memberA.get<CountsBody>(`${s.activityBase}/${s.march.id}/signup-counts`);
    expect(peopleAt(after.body, 1)).toBe(3);
    expect(peopleAt(after.body, 2)).toBe(0);
    expect(peopleAt(after.body, 3)).toBe(3);

    // Single use.
    const again = await ctx.anonymous().post(`/signups/confirm/${links.confirm}`);
    expect(again.status).toBe(404);
    expect((await ctx.anonymous().get(`/signups/confirm/${links.confirm}`)).status).toBe(404);
  });

  it("signing up again before confirming updates the sign-up, never counts twice, and re-sends the confirmation", async () => {
    const first = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Dara",
      email: "dara@example.org",
      guests: "0",
      choices: [`${s.meeting.id}:0`],
    });
    expect(first.status).toBe(303);
    const old = await linksFor(ctx, "dara@example.org");

    const second = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Dara K.",
      email: "DARA@example.org ",
      guests: "4",
      choices: [`${s.meeting.id}:0`],
    });
    expect(second.status).toBe(303);
    // The same answer whether or not the address had signed up.
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    const rows = await signupRows(s.meeting.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toBe("Dara K.");
    expect(rows[0]?.guests).toBe(4);
    expect(rows[0]?.status).toBe("pending");
    const emails = await ctx.db.selectFrom("outbox_email").where("to_address", "=", "dara@example.org").select("id").execute();
    expect(emails).toHaveLength(2);
    const fresh = await linksFor(ctx, "dara@example.org");
    expect(fresh.confirm).not.toBe(old.confirm);
    expect((await ctx.anonymous().post(`/signups/confirm/${old.confirm}`)).status).not.toBe(303);
    expect((await ctx.anonymous().post(`/signups/confirm/${fresh.confirm}`)).status).toBe(303);
    const counts = await s.w.clients.memberA.get<CountsBody>(`${s.activityBase}/${s.meeting.id}/signup-counts`);
    expect(peopleAt(counts.body, null)).toBe(5);
  });

  // Anyone may type anyone's address or phone: the public form must not undo a confirmation, rename
  // the person or change their stages, nor let the public count tell whether they signed up.
  it("a confirmed sign-up is never changed from the form: the address's owner is told, and the count stays", async () => {
    const victim = "vanna.confirmed@example.org";
    const first = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Vanna",
      email: victim,
      guests: "2",
      choices: [`${s.march.id}:1`],
    });
    const links = await linksFor(ctx, victim);
    expect((await ctx.anonymous().post(`/signups/confirm/${links.confirm}`)).status).toBe(303);
    const before = await signupRows(s.march.id);
    const counts = async () =>
      peopleAt((await s.w.clients.memberA.get<CountsBody>(`${s.activityBase}/${s.march.id}/signup-counts`)).body, 1);
    const counted = await counts();

    const again = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Someone else",
      email: victim,
      guests: "0",
      choices: [`${s.march.id}:2`],
    });
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(await signupRows(s.march.id)).toEqual(before);
    expect(await counts()).toBe(counted);
    const told = await ctx.db
      .selectFrom("outbox_email")
      .where("to_address", "=", victim)
      .orderBy("created_at", "desc")
      .select(["subject", "text"])
      .executeTakeFirstOrThrow();
    expect(told.subject).toContain("already signed up");
    expect(told.text).toContain("Number of people: 3");
    expect(told.text).not.toMatch(/\/signups\/(confirm|cancel)\//);
    // The person's own cancel link still works.
    expect((await ctx.anonymous().post(`/signups/cancel/${links.cancel}`)).status).toBe(303);
  });

  it("a sign-up the organisers confirmed by phone is never changed from the form either", async () => {
    const form = { name: "Sokun", phone: "011 222 333", guests: "1", choices: [`${s.march.id}:3`] };
    expect((await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, form)).status).toBe(303);
    const id = (await signupRows(s.march.id)).find((r) => r.phone === "011 222 333")?.id;
    const confirmed = await s.w.clients.coordinator.post(`${s.activityBase}/${s.march.id}/signups/${id}/confirm-by-phone`);
    expect(confirmed.status, confirmed.text).toBeLessThan(300);
    const before = await signupRows(s.march.id);
    expect((await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, { ...form, name: "Someone else", guests: "0" })).status).toBe(303);
    expect(await signupRows(s.march.id)).toEqual(before);
  });

  // Anyone may type anyone's address: the confirmation must not carry what they typed to it.
  it("the confirmation email carries nothing typed into the form", async () => {
    const words = "Your account is locked, call +855 12 000 000";
    const res = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: words,
      email: "someone-else@example.org",
      guests: "0",
      choices: [`${s.meeting.id}:0`],
    });
    expect(res.status).toBe(303);
    const email = await ctx.db
      .selectFrom("outbox_email")
      .where("to_address", "=", "someone-else@example.org")
      .select(["subject", "text", "html"])
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(email)).not.toContain("+855 12 000 000");
    expect(email.text).toContain("Hello,");
  });

  it("a phone-only sign-up waits for the organisers and sends no email", async () => {
    const before = await ctx.db
      .selectFrom("outbox_email")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const res = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Vanna",
      phone: "012 345 678",
      guests: "1",
      choices: [`${s.march.id}:2`],
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("done=phone");
    const after = await ctx.db
      .selectFrom("outbox_email")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const row = (await signupRows(s.march.id)).find((r) => r.phone === "012 345 678");
    expect(row?.status).toBe("pending");
    expect(row?.contact_key).toBe("p:012345678");
  });

  it("the cancel link deletes the sign-up after a POST", async () => {
    await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, { name: "Chan", email: "chan@example.org", choices: [`${s.march.id}:2`] });
    const links = await linksFor(ctx, "chan@example.org");
    const page = await ctx.anonymous().get(`/signups/cancel/${links.cancel}?lang=en`);
    expect(page.status).toBe(200);
    expect((await signupRows(s.march.id)).some((r) => r.email === "chan@example.org")).toBe(true);
    const res = await ctx.anonymous().post(`/signups/cancel/${links.cancel}?lang=en`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("done=cancelled");
    expect((await signupRows(s.march.id)).some((r) => r.email === "chan@example.org")).toBe(false);
    expect((await ctx.anonymous().post(`/signups/cancel/${links.cancel}`)).status).toBe(404);
  });

  it("the link's page names the campaign in the page's language", async () => {
    const own = await setUp(ctx);
    const khmerTitle = unique("យុទ្ធនាការ");
    const patched = await own.w.clients.coordinator.patch(`/api/coalitions/${own.w.coalition.id}/campaigns/${own.campaign.id}`, {
      secondTitle: { language: "km", name: khmerTitle },
    });
    expect(patched.status, patched.text).toBe(200);
    await postForm(ctx.anonymous(), `${own.joinPath}?lang=km`, {
      name: "Dara",
      email: "dara.km@example.org",
      choices: [`${own.march.id}:1`],
    });
    const links = await linksFor(ctx, "dara.km@example.org");
    for (const kind of ["confirm", "cancel"] as const) {
      const token = kind === "confirm" ? links.confirm : links.cancel;
      expect((await ctx.anonymous().get(`/signups/${kind}/${token}?lang=km`)).text).toContain(khmerTitle);
      expect((await ctx.anonymous().get(`/signups/${kind}/${token}?lang=en`)).text).not.toContain(khmerTitle);
    }
  });

  it("re-renders the form with a message per field and the values kept, changing nothing", async () => {
    const before = await snapshotCounts(ctx);
    const rowsBefore = await ctx.db.selectFrom("signup").select("id").execute();
    const res = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "",
      email: "not-an-email",
      phone: "12",
      guests: "99",
      choices: [`${s.march.id}:1`],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.text).toContain("Enter your name");
    expect(res.text).toContain("Enter a valid email address");
    expect(res.text).toContain("Enter a phone number of 6 to 15 digits");
    expect(res.text).toContain("Enter a whole number from 0 to 50");
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toContain('value="99"');
    expect(res.text).toMatch(new RegExp(`value="${s.march.id}:1"[^>]*checked`));
    // For a screen reader and the keyboard: the title says something is wrong; the first field in error
    // on the page (the name) takes the focus, and no other.
    const focused = (html: string) => [...html.matchAll(/<input[^>]*\sautofocus[^>]*>/g)].map((m) => m[0]);
    expect(res.text).toMatch(/<title>Error: /);
    expect(focused(res.text)).toHaveLength(1);
    expect(focused(res.text)[0]).toContain('id="name"');

    const noContact = await postForm(ctx.anonymous(), `${s.joinPath}?lang=km`, { name: "Sok", choices: [`${s.march.id}:1`] });
    expect(noContact.status).toBe(400);
    expect(noContact.text).toContain("សូមផ្តល់អាសយដ្ឋានអ៊ីមែល ឬលេខទូរស័ព្ទ");
    expect(noContact.text).toContain('value="Sok"');
    // No contact: the email field takes the focus, described by the contact hint and error.
    expect(focused(noContact.text)).toHaveLength(1);
    expect(focused(noContact.text)[0]).toContain('id="email"');
    expect(focused(noContact.text)[0]).toContain('aria-describedby="contact-hint contact-error"');

    const noChoice = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, { name: "Sok", email: "sok@example.org" });
    expect(noChoice.status).toBe(400);
    expect(noChoice.text).toContain("Choose at least one activity");
    // No choice: the first checkbox of the list.
    expect(focused(noChoice.text)).toHaveLength(1);
    expect(focused(noChoice.text)[0]).toBe(noChoice.text.match(/<input[^>]*name="choices"[^>]*>/)?.[0]);

    const foreign = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "Sok",
      email: "sok@example.org",
      choices: [`${s.march.id}:9`],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.text).toContain("Choose at least one activity");

    const nul = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "So\u0000k",
      email: "sok@example.org",
      choices: [`${s.march.id}:1`],
    });
    expect(nul.status).toBe(400);

    const huge = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, {
      name: "x".repeat(20_000),
      email: "sok@example.org",
      choices: [`${s.march.id}:1`],
    });
    expect(huge.status).toBe(413);

    expect(await snapshotCounts(ctx)).toEqual(before);
    expect(await ctx.db.selectFrom("signup").select("id").execute()).toHaveLength(rowsBefore.length);
  });

  it("limits sign-ups per email (whatever the address) and per address", async () => {
    const fields = { name: "Many", email: "many@example.org", choices: [`${s.meeting.id}:0`] };
    for (let i = 0; i < 5; i++) expect((await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, fields)).status).toBe(303);
    const sixth = await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, fields);
    expect(sixth.status).toBe(429);
    expect(sixth.text).toContain("Too many sign-ups");

    const address = "198.51.100.7";
    let last = 0;
    for (let i = 0; i < 31; i++) {
      last = (
        await postForm(
          ctx.anonymous(),
          `${s.joinPath}?lang=en`,
          { name: "P", phone: `0123${String(i).padStart(5, "0")}`, choices: [`${s.meeting.id}:0`] },
          address,
        )
      ).status;
    }
    expect(last).toBe(429);
  });

  it("limits the confirmation emails one address receives, however many activities each form chooses", async () => {
    const fields = { name: "Both", email: "both@example.org", choices: [`${s.meeting.id}:0`, `${s.march.id}:1`] };
    const mails = async () =>
      (await ctx.db.selectFrom("outbox_email").where("to_address", "=", "both@example.org").select("id").execute()).length;
    // Two emails a form: four forms are eight emails, the most in a window; the fifth form is refused.
    for (let i = 0; i < 4; i++) expect((await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, fields)).status).toBe(303);
    expect(await mails()).toBe(8);
    expect((await postForm(ctx.anonymous(), `${s.joinPath}?lang=en`, fields)).status).toBe(429);
    expect(await mails()).toBe(8);
  });

  it("the campaign page's section shows the confirmed people per upcoming stage and links to the form", async () => {
    const fresh = await setUp(ctx);
    await postForm(ctx.anonymous(), `${fresh.joinPath}?lang=en`, {
      name: "Section",
      email: "section@example.org",
      guests: "3",
      choices: [`${fresh.march.id}:2`],
    });
    await postForm(ctx.anonymous(), `${fresh.joinPath}?lang=en`, {
      name: "Unconfirmed",
      email: "unconfirmed@example.org",
      guests: "9",
      choices: [`${fresh.march.id}:2`],
    });
    const { confirm } = await linksFor(ctx, "section@example.org");
    expect((await ctx.anonymous().post(`/signups/confirm/${confirm}`)).status).toBe(303);
    const coalition = await ctx.db.selectFrom("coalition").where("id", "=", fresh.w.coalition.id).selectAll().executeTakeFirstOrThrow();
    const basePath = fresh.joinPath.replace(/\/join$/, "");
    const element = await signupSection.render({
      db: ctx.db,
      lang: "en",
      coalition: { id: coalition.id, slug: coalition.slug, name: coalition.name, timeZone: coalition.time_zone },
      campaign: { id: fresh.campaign.id, slug: fresh.campaign.slug, title: "Campaign" },
      basePath,
    });
    const html = String(await element?.toString());
    expect(html).toContain("Stage 2:");
    expect(html).toMatch(/Kandal → Takeo\s*— 4 people coming/);
    expect(html).toMatch(/Phnom Penh → Kandal\s*— 0 people coming/);
    expect(html).toContain(`href="${basePath}/join?lang=en"`);
    expect(html).not.toMatch(/Section|Unconfirmed|@example/);
  });
});

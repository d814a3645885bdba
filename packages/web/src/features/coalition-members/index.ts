/** What other features may use of the coalition's members: its cached answers, one key and one stale time each. */
export { coalitionKey, membersQuery, peopleQuery } from "./api/members.ts";

/** What other features may use of organisations: the cached list of an organisation's people. */
export { organisationPeopleQuery } from "./api/organisation.ts";

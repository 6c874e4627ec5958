// The officer account the widget tests' server starts with (web-test-runner.config.mjs passes it to
// startServer). Plain JavaScript so both the Node config and the browser tests can import it.
export const TEST_OFFICER = Object.freeze({ username: 'petugas-uji', name: 'Petugas Uji Kanreg I', password: 'kata-sandi-uji-2026' });
// A second account for tests that call the officers' API directly while the page is signed in as TEST_OFFICER:
// a sign-in ends the account's older session, so the two must not share an account.
export const TEST_API_OFFICER = Object.freeze({ username: 'petugas-api', name: 'Petugas Api Kanreg I', password: 'kata-sandi-api-2026' });

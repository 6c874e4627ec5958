// The officer account the widget tests' server starts with (web-test-runner.config.mjs passes it to
// startServer). Plain JavaScript so both the Node config and the browser tests can import it.
export const TEST_OFFICER = Object.freeze({ username: 'petugas-uji', name: 'Petugas Uji Kanreg I', password: 'kata-sandi-uji-2026' });

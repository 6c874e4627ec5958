export declare const TEST_OFFICER: Readonly<{ username: string; name: string; password: string }>;

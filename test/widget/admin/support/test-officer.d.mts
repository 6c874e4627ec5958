export declare const TEST_OFFICER: Readonly<{ username: string; name: string; password: string }>;
export declare const TEST_API_OFFICER: Readonly<{ username: string; name: string; password: string }>;

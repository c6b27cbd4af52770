import type { Transport } from './transport.js';

/** The logged-in user as `GET /api/auth/me` shows them. */
export interface Me {
  id: number;
  username: string;
  name: string | null;
  isAdmin: boolean;
  roles: string[];
}

export interface ApiToken {
  id: number;
  name: string;
  expiresAt: string | null;
  [key: string]: unknown;
}

/** `/api/auth`: sessions and the caller's API tokens. */
export class AuthClient {
  constructor(private readonly http: Transport) {}

  /** Starts a session: an HttpOnly cookie in browsers, kept by the client in scripts. */
  async login(username: string, password: string): Promise<Me> {
    return (await this.http.request<{ user: Me }>('POST', '/api/auth/login', { body: { username, password } })).user;
  }

  async logout(): Promise<void> {
    await this.http.request('POST', '/api/auth/logout');
  }

  async me(): Promise<Me> {
    return (await this.http.request<{ user: Me }>('GET', '/api/auth/me')).user;
  }

  /** A new API token for the caller; `token` is shown only in this answer. */
  createToken(name: string, opts: { expiresInDays?: number } = {}): Promise<ApiToken & { token: string }> {
    return this.http.request('POST', '/api/auth/tokens', { body: { name, ...opts } });
  }

  async tokens(): Promise<ApiToken[]> {
    return (await this.http.request<{ data: ApiToken[] }>('GET', '/api/auth/tokens')).data;
  }

  async revokeToken(id: number): Promise<void> {
    await this.http.request('DELETE', `/api/auth/tokens/${id}`);
  }
}

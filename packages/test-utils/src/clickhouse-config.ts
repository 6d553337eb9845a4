import { join } from 'node:path';

/** The ports and directory of one disposable server. */
export interface ServerLayout {
  dir: string;
  httpPort: number;
  tcpPort: number;
  /** Seconds an idle HTTP connection is kept (default 1: tests stop fast). */
  keepAliveTimeoutS?: number;
}

/**
 * A minimal `config.xml` for a throw-away ClickHouse 18.16: everything under `dir`, loopback only,
 * no interserver/MySQL/TLS ports, small caches (the default mark cache is 5 GB), UTC.
 */
export function serverConfigXml({ dir, httpPort, tcpPort, keepAliveTimeoutS = 1 }: ServerLayout): string {
  const at = (name: string): string => `${join(dir, name)}/`;
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${join(dir, 'server.log')}</log>
    <errorlog>${join(dir, 'server.err.log')}</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${at('data')}</path>
  <tmp_path>${at('tmp')}</tmp_path>
  <user_files_path>${at('user_files')}</user_files_path>
  <format_schema_path>${at('format_schemas')}</format_schema_path>
  <users_config>${join(dir, 'users.xml')}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
  <!-- Shutdown waits for idle keep-alive connections (fetch keeps them): tests don't hold them long. -->
  <keep_alive_timeout>${keepAliveTimeoutS}</keep_alive_timeout>
</yandex>
`;
}

/** `users.xml`: user `default`, no password, from 127.0.0.1 only; one profile, an unlimited quota. */
export function usersXml(): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;
}

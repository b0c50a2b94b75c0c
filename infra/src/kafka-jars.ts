import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildOnce } from './cache';
import { runChecked } from './command';
import { seconds } from './elapsed';
import { cacheDir, infraDir } from './paths';
import { requireMaven } from './prerequisites';
import { kafkaVersion } from './versions';

export interface KafkaDistribution {
  version: string;
  libsDir: string;
  log4jConfig: string;
}

export function kafkaDistribution(): KafkaDistribution {
  const version = kafkaVersion();
  return {
    version,
    libsDir: path.join(cacheDir, `kafka-${version}`, 'libs'),
    log4jConfig: path.join(infraDir, 'kafka', 'log4j.properties'),
  };
}

/** Fetches the Kafka broker jars (and their dependencies) from Maven Central into the cache, once. */
export async function ensureKafkaJars(log: (line: string) => void): Promise<KafkaDistribution> {
  const dist = kafkaDistribution();
  const jar = `kafka_2.13-${dist.version}.jar`;
  const started = Date.now();
  const built = await buildOnce(
    path.dirname(dist.libsDir),
    (dir) => existsSync(path.join(dir, 'libs', jar)),
    async (tempDir) => {
      const mvn = requireMaven();
      log(`fetching Kafka ${dist.version} jars from Maven Central (first run)...`);
      await runChecked(
        mvn,
        ['-q', '-B', '-Dstyle.color=never', 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(tempDir, 'libs')}`],
        { cwd: path.join(infraDir, 'kafka') },
      );
    },
  );
  if (built) log(`Kafka ${dist.version} jars ready in ${seconds(started)}`);
  return dist;
}

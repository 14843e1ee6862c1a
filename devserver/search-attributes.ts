import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CAMPAIGN_SEARCH_ATTRIBUTES } from '../domain/search-attributes';

/** Registers the campaign search attributes on a server that was not started with them (a cluster, the test server). */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(
    CAMPAIGN_SEARCH_ATTRIBUTES.map((key) => [
      key.name,
      key.type === SearchAttributeType.KEYWORD_LIST
        ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST
        : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}

import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';

/**
 * The custom search attributes of a call, so that the Temporal UI and
 * `temporal workflow list --query 'CallCompany="Acme Bank"'` find calls.
 */
export const CALL_COMPANY = defineSearchAttributeKey('CallCompany', SearchAttributeType.KEYWORD);
export const CALL_NUMBER = defineSearchAttributeKey('CallNumber', SearchAttributeType.KEYWORD);
export const CALL_STATUS = defineSearchAttributeKey('CallStatus', SearchAttributeType.KEYWORD);
/** "flow_…@v3", or "none" when the call explores. */
export const CALL_FLOW = defineSearchAttributeKey('CallFlow', SearchAttributeType.KEYWORD);

export const CALL_SEARCH_ATTRIBUTES = [CALL_COMPANY, CALL_NUMBER, CALL_STATUS, CALL_FLOW];

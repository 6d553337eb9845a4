import type { ApiEventPayload as CoreApiEventPayload, UserData as CoreUserData } from '@skopos/core';
import type { SkoposSDKOptions } from './options.ts';
import type { ExpressRequestLike, NodeRequestLike, SdkRequest } from './request-context.ts';
import type { SdkFailure, SdkIdentifyResult, SdkTrackResult } from './results.ts';

// Aliases under other names, so that the `SkoposSDK` namespace (which types `require()`) can
// re-declare the public names without referring to itself once the declarations are bundled.
export type OptionsType = SkoposSDKOptions;
export type RequestType = SdkRequest;
export type NodeRequestType = NodeRequestLike;
export type ExpressRequestType = ExpressRequestLike;
export type TrackResultType = SdkTrackResult;
export type IdentifyResultType = SdkIdentifyResult;
export type FailureType = SdkFailure;

/**
 * Data of your own (`customData`, `metadata`): any object type, an `interface` included, as the
 * original Skopos SDK's `Record<string, any>` allowed. Checked when the call runs: a plain JSON
 * object of at most 8 KB, or the call answers why not.
 */
export type DataObject = object;

/** The Skopos payload `trackApiEvent` takes, `customData` typed as loosely as the original SDK did. */
export type ApiEventPayload = Omit<CoreApiEventPayload, 'customData'> & {
  customData?: DataObject | undefined;
};

/** The `userData` of `identify`: name, email, phone and metadata (typed as loosely as the original SDK did). */
export type UserData = Omit<CoreUserData, 'metadata'> & { metadata?: DataObject | undefined };

/** The original Skopos SDK's name for `UserData`. */
export type IdentifyData = UserData;

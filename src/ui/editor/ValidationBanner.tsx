import type { ValidationResult } from '../../core/index';

/** The kernel's verdict on the policy as the user types: accepted, or refused with its errno and reason. */
export function ValidationBanner({ validation, profileLabel }: { validation: ValidationResult; profileLabel: string }) {
  const { error, accepted } = validation;
  return (
    <div className={`validation ${error ? 'validation-refused' : 'validation-ok'}`} role="status">
      {error ? (
        <>
          <strong>
            <span aria-hidden="true">✗ </span>The kernel would refuse this ({error.errno})
          </strong>
          <span className="validation-message">
            {profileLabel}: {error.message}
          </span>
        </>
      ) : (
        <strong>
          <span aria-hidden="true">✓ </span>
          {profileLabel} accepts this policy ({accepted.length} range{accepted.length === 1 ? '' : 's'} installed)
        </strong>
      )}
    </div>
  );
}

package dev.sigfresh.internal.panama;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles for every function of include/sigfresh.h, one {@code static final} field per
 * function (so the JIT treats each as a constant), named exactly as in the header.
 *
 * <p>Type mapping (linux-x86_64 and every other 64-bit ABI the library ships for): every pointer
 * argument and every {@code size_t}, {@code int64_t} and {@code uint64_t} is a Java {@code long}
 * (a pointer and a 64-bit integer travel in the same register class, so passing the address
 * as a long is ABI-identical and spares a MemorySegment per argument); {@code uint32_t} and the
 * {@code sigfresh_*} enum typedefs are {@code int}; {@code uint16_t} is {@code short} (cast with
 * {@code (short)}); {@code bool} is {@code boolean}. Every function returns its
 * {@code sigfresh_result} as an {@code int}, except the three returning static text, which
 * return the text's address as a {@code long}.
 *
 * <p>Functions that are short, never block and never call back into Java are linked with
 * {@link Linker.Option#critical(boolean)} (no thread-state transition). {@code
 * sigfresh_verifier_verify} (upcalls into the lookup) and {@code
 * sigfresh_credential_cache_wait_for_change} (blocks) are ordinary downcalls, as is everything
 * that parses documents of arbitrary size; signing a request with a large payload uses the
 * {@code *_large} ordinary variants at the end.
 *
 * <p>Generated from the header's prototypes; check it against the header when the ABI changes
 * (PanamaSmoke compares every struct layout and the symbol list with the real library).
 */
final class C {
    private C() {}

    static final ValueLayout J_LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout J_INT = ValueLayout.JAVA_INT;
    static final ValueLayout J_SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout J_BOOL = ValueLayout.JAVA_BOOLEAN;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = PanamaLibrary.lookup();
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle critical(String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), CRITICAL);
    }

    private static java.lang.foreign.MemorySegment symbol(String name) {
        return LOOKUP.find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError(
                "sigfresh native library " + PanamaLibrary.describe() + " has no symbol " + name
                    + " (a library from another sigfresh version?)"));
    }

    static final MethodHandle sigfresh_version =
        downcall("sigfresh_version", J_LONG);
    static final MethodHandle sigfresh_classification_new =
        downcall("sigfresh_classification_new", J_INT, J_SHORT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_free =
        downcall("sigfresh_classification_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_classification_action =
        downcall("sigfresh_classification_action", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_action_for_source =
        downcall("sigfresh_classification_action_for_source", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_kind =
        downcall("sigfresh_classification_kind", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_status =
        downcall("sigfresh_classification_status", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_code =
        downcall("sigfresh_classification_code", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_message =
        downcall("sigfresh_classification_message", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_server_time =
        downcall("sigfresh_classification_server_time", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_skew_ms =
        downcall("sigfresh_classification_skew_ms", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_skew_verdict =
        downcall("sigfresh_classification_skew_verdict", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_skew_change =
        downcall("sigfresh_classification_skew_change", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_explain =
        downcall("sigfresh_classification_explain", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_canonical_request =
        downcall("sigfresh_classification_canonical_request", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_classification_string_to_sign =
        downcall("sigfresh_classification_string_to_sign", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_new =
        critical("sigfresh_credentials_new", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_INT, J_LONG);
    static final MethodHandle sigfresh_credentials_free =
        critical("sigfresh_credentials_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_credentials_access_key_id =
        critical("sigfresh_credentials_access_key_id", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_secret_access_key_expose =
        critical("sigfresh_credentials_secret_access_key_expose", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_session_token_expose =
        critical("sigfresh_credentials_session_token_expose", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_has_session_token =
        critical("sigfresh_credentials_has_session_token", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_expiry =
        critical("sigfresh_credentials_expiry", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_account_id =
        critical("sigfresh_credentials_account_id", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_source =
        critical("sigfresh_credentials_source", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credentials_profile_name =
        critical("sigfresh_credentials_profile_name", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_parse_imds =
        downcall("sigfresh_document_parse_imds", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_parse_container =
        downcall("sigfresh_document_parse_container", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_parse_process =
        downcall("sigfresh_document_parse_process", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_parse_sso =
        downcall("sigfresh_document_parse_sso", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_parse_sts =
        downcall("sigfresh_document_parse_sts", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_parse_any =
        downcall("sigfresh_document_parse_any", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_parse_env =
        downcall("sigfresh_document_parse_env", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_document_format_name =
        downcall("sigfresh_document_format_name", J_LONG, J_INT);
    static final MethodHandle sigfresh_profile_set_parse =
        downcall("sigfresh_profile_set_parse", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_profile_set_free =
        downcall("sigfresh_profile_set_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_profile_set_profile_count =
        downcall("sigfresh_profile_set_profile_count", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_profile_set_profile_name =
        downcall("sigfresh_profile_set_profile_name", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_profile_set_get =
        downcall("sigfresh_profile_set_get", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_profile_set_sso_session_get =
        downcall("sigfresh_profile_set_sso_session_get", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_profile_set_credentials =
        downcall("sigfresh_profile_set_credentials", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_raw_request_parse =
        downcall("sigfresh_raw_request_parse", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_raw_request_free =
        downcall("sigfresh_raw_request_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_raw_request_method =
        downcall("sigfresh_raw_request_method", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_raw_request_target =
        downcall("sigfresh_raw_request_target", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_raw_request_version =
        downcall("sigfresh_raw_request_version", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_raw_request_header_count =
        downcall("sigfresh_raw_request_header_count", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_raw_request_header =
        downcall("sigfresh_raw_request_header", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_raw_request_body =
        downcall("sigfresh_raw_request_body", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_new =
        downcall("sigfresh_credential_cache_new", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_free =
        downcall("sigfresh_credential_cache_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_credential_cache_current =
        critical("sigfresh_credential_cache_current", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_get =
        critical("sigfresh_credential_cache_get", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_complete_success =
        downcall("sigfresh_credential_cache_complete_success", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_complete_document =
        downcall("sigfresh_credential_cache_complete_document", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_complete_failure =
        downcall("sigfresh_credential_cache_complete_failure", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_release =
        downcall("sigfresh_credential_cache_release", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_install =
        downcall("sigfresh_credential_cache_install", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_invalidate_if_current =
        downcall("sigfresh_credential_cache_invalidate_if_current", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_next_refresh_at =
        downcall("sigfresh_credential_cache_next_refresh_at", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_wait_for_change =
        downcall("sigfresh_credential_cache_wait_for_change", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_generation =
        critical("sigfresh_credential_cache_generation", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_credential_cache_last_failure =
        downcall("sigfresh_credential_cache_last_failure", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_lease_free =
        downcall("sigfresh_lease_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_lease_issued_at =
        downcall("sigfresh_lease_issued_at", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_lease_deadline =
        downcall("sigfresh_lease_deadline", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_refresh_policy_new =
        downcall("sigfresh_refresh_policy_new", J_INT, J_LONG);
    static final MethodHandle sigfresh_refresh_policy_free =
        downcall("sigfresh_refresh_policy_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_refresh_policy_set_duration =
        downcall("sigfresh_refresh_policy_set_duration", J_INT, J_LONG, J_INT, J_LONG);
    static final MethodHandle sigfresh_refresh_policy_set_jitter_percent =
        downcall("sigfresh_refresh_policy_set_jitter_percent", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_refresh_policy_set_imds_static_stability =
        downcall("sigfresh_refresh_policy_set_imds_static_stability", J_INT, J_LONG, J_BOOL);
    static final MethodHandle sigfresh_result_message =
        downcall("sigfresh_result_message", J_LONG, J_INT);
    static final MethodHandle sigfresh_result_name =
        downcall("sigfresh_result_name", J_LONG, J_INT);
    static final MethodHandle sigfresh_last_error_message =
        critical("sigfresh_last_error_message", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signer_new =
        downcall("sigfresh_signer_new", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signer_free =
        downcall("sigfresh_signer_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_signer_sign =
        critical("sigfresh_signer_sign", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signer_presign =
        critical("sigfresh_signer_presign", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signer_sign_output =
        critical("sigfresh_signer_sign_output", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_free =
        critical("sigfresh_signing_output_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_signing_output_canonical_request =
        critical("sigfresh_signing_output_canonical_request", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_string_to_sign =
        critical("sigfresh_signing_output_string_to_sign", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_signature =
        critical("sigfresh_signing_output_signature", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_authorization =
        critical("sigfresh_signing_output_authorization", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_signed_uri =
        critical("sigfresh_signing_output_signed_uri", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_header_count =
        critical("sigfresh_signing_output_header_count", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_header =
        critical("sigfresh_signing_output_header", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_query_param_count =
        critical("sigfresh_signing_output_query_param_count", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_output_query_param =
        critical("sigfresh_signing_output_query_param", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_settings_new =
        downcall("sigfresh_signing_settings_new", J_INT, J_LONG);
    static final MethodHandle sigfresh_signing_settings_new_s3 =
        downcall("sigfresh_signing_settings_new_s3", J_INT, J_LONG);
    static final MethodHandle sigfresh_signing_settings_free =
        downcall("sigfresh_signing_settings_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_signing_settings_set_uri_encoding =
        downcall("sigfresh_signing_settings_set_uri_encoding", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_signing_settings_set_path_normalization =
        downcall("sigfresh_signing_settings_set_path_normalization", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_signing_settings_set_session_token_mode =
        downcall("sigfresh_signing_settings_set_session_token_mode", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_signing_settings_set_content_sha256 =
        downcall("sigfresh_signing_settings_set_content_sha256", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_signing_settings_set_header_selection =
        downcall("sigfresh_signing_settings_set_header_selection", J_INT, J_LONG, J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signing_settings_set_location =
        downcall("sigfresh_signing_settings_set_location", J_INT, J_LONG, J_INT, J_INT);
    static final MethodHandle sigfresh_clock_skew_new =
        critical("sigfresh_clock_skew_new", J_INT, J_LONG);
    static final MethodHandle sigfresh_clock_skew_new_with_threshold =
        critical("sigfresh_clock_skew_new_with_threshold", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_clock_skew_free =
        critical("sigfresh_clock_skew_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_clock_skew_threshold =
        critical("sigfresh_clock_skew_threshold", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_clock_skew_offset =
        critical("sigfresh_clock_skew_offset", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_clock_skew_corrected =
        critical("sigfresh_clock_skew_corrected", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_clock_skew_observe =
        critical("sigfresh_clock_skew_observe", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_clock_skew_observe_round_trip =
        critical("sigfresh_clock_skew_observe_round_trip", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_clock_skew_observe_date_header =
        critical("sigfresh_clock_skew_observe_date_header", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_clock_skew_reset =
        critical("sigfresh_clock_skew_reset", J_INT, J_LONG);
    static final MethodHandle sigfresh_skew_is_skew_error =
        downcall("sigfresh_skew_is_skew_error", J_INT, J_LONG, J_LONG, J_SHORT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_new_imds =
        downcall("sigfresh_source_new_imds", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_new_container =
        downcall("sigfresh_source_new_container", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_new_chain =
        downcall("sigfresh_source_new_chain", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_free =
        downcall("sigfresh_source_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_source_start =
        downcall("sigfresh_source_start", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_poll =
        downcall("sigfresh_source_poll", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_credentials =
        downcall("sigfresh_source_credentials", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_error_message =
        downcall("sigfresh_source_error_message", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_warning_count =
        downcall("sigfresh_source_warning_count", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_warning =
        downcall("sigfresh_source_warning", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_explain =
        downcall("sigfresh_source_explain", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_handle_response =
        downcall("sigfresh_source_handle_response", J_INT, J_LONG, J_LONG, J_SHORT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_handle_transport_error =
        downcall("sigfresh_source_handle_transport_error", J_INT, J_LONG, J_LONG, J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_handle_file =
        downcall("sigfresh_source_handle_file", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_handle_process =
        downcall("sigfresh_source_handle_process", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_handle_resolved =
        downcall("sigfresh_source_handle_resolved", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_source_handle_io_failure =
        downcall("sigfresh_source_handle_io_failure", J_INT, J_LONG, J_LONG, J_INT, J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_time_parse_rfc3339 =
        critical("sigfresh_time_parse_rfc3339", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_time_parse_amz_date =
        critical("sigfresh_time_parse_amz_date", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_time_parse_http_date =
        critical("sigfresh_time_parse_http_date", J_INT, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_time_format_rfc3339 =
        critical("sigfresh_time_format_rfc3339", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_time_format_amz_date =
        critical("sigfresh_time_format_amz_date", J_INT, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verifier_new =
        downcall("sigfresh_verifier_new", J_INT, J_LONG);
    static final MethodHandle sigfresh_verifier_new_s3 =
        downcall("sigfresh_verifier_new_s3", J_INT, J_LONG);
    static final MethodHandle sigfresh_verifier_free =
        downcall("sigfresh_verifier_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_verifier_set_uri_encoding =
        downcall("sigfresh_verifier_set_uri_encoding", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_verifier_set_path_normalization =
        downcall("sigfresh_verifier_set_path_normalization", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_verifier_set_session_token_mode =
        downcall("sigfresh_verifier_set_session_token_mode", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_verifier_set_max_skew_secs =
        downcall("sigfresh_verifier_set_max_skew_secs", J_INT, J_LONG, J_INT);
    static final MethodHandle sigfresh_verifier_verify =
        downcall("sigfresh_verifier_verify", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verified_free =
        critical("sigfresh_verified_free", J_INT, J_LONG);
    static final MethodHandle sigfresh_verified_access_key_id =
        critical("sigfresh_verified_access_key_id", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verified_region =
        critical("sigfresh_verified_region", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verified_service =
        critical("sigfresh_verified_service", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verified_signed_at =
        critical("sigfresh_verified_signed_at", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verified_expires_at =
        critical("sigfresh_verified_expires_at", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verified_signed_header_count =
        critical("sigfresh_verified_signed_header_count", J_INT, J_LONG, J_LONG);
    static final MethodHandle sigfresh_verified_signed_header =
        critical("sigfresh_verified_signed_header", J_INT, J_LONG, J_LONG, J_LONG);

    // The signing functions again as ordinary downcalls, for requests with a large payload:
    // hashing megabytes inside a critical call would hold off safepoints (and so every other
    // thread's GC) for that long. PanamaSigning picks these above CRITICAL_PAYLOAD_LIMIT.

    /** Payload size (bytes) above which signing uses the ordinary downcalls below. */
    static final int CRITICAL_PAYLOAD_LIMIT = 64 * 1024;

    static final MethodHandle sigfresh_signer_sign_large =
        downcall("sigfresh_signer_sign", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signer_presign_large =
        downcall("sigfresh_signer_presign", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
    static final MethodHandle sigfresh_signer_sign_output_large =
        downcall("sigfresh_signer_sign_output", J_INT, J_LONG, J_LONG, J_LONG, J_LONG, J_LONG);
}

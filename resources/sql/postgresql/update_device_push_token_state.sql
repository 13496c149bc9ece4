UPDATE devices SET push_token_state = :state, push_token_retired_reason = :reason,
    push_token_retired_at = CASE WHEN :state = 'retired' THEN COALESCE(push_token_retired_at, :at) END
    WHERE id = :id AND push_token = :push_token;
